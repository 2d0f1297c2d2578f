"""Alternative family care records, their carers and follow-ups (issue 19)."""
