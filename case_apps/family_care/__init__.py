"""Alternative family care: foster care, guardianship, kinship, kafaala, adoption and
supported independent living, with their carers and follow-ups (issue 19)."""
