"""The intake queue: reports from the 116 helpline and other sources (issue 20, part 1)."""
