from cpims.formats import DATE_FORMAT, DATETIME_FORMAT

__all__ = ["DATE_FORMAT", "DATETIME_FORMAT"]
