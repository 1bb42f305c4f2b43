"""What the public sees: decisions, published outcomes and the public notice before the Council."""
