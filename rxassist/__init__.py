"""Rx Assist domain: prescriptions, units, plans, ICD-10-CM; no web framework here."""
