"""National reference lists (case categories, reporter types, interventions...) with CPIMS codes.

Public: every organisation uses the same codes, so national statistics add up.
"""
