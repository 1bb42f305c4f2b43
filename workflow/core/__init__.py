"""The engine's core: the lifecycle language, actors and permissions, the engine, refusals and
their messages, and the audit chain. It knows no award, campaign or Council."""
