"""Case management: the case record sheet to closure, in each organisation's own schema."""
