"""WTForms forms by area: accounts, and one form per wizard step."""
