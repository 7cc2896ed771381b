"""The application's services: state changes and renderings that views and CLI share.

One module per concern: ``codeset`` (the ICD-10-CM index in use), ``issuing`` (the one
way a prescription is issued, voided, amended or renewed), ``rendering`` (HTML and
PDF), ``links`` (patient links), ``audit`` (the audit log).
"""
