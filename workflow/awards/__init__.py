"""The award catalogue and its rules: eligibility, quotas, holds, higher-level awards."""
