"""Life in the institution: leave of absence, escape and return, adverse events, education,
case conferences, the individual care plan and its reviews (issue 19)."""
