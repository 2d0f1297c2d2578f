"""Governed sharing: data sharing agreements approved by DCS headquarters, and the gateway."""
