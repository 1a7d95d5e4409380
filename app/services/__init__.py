"""Services: everything the GUI and the CLI do to the data, one transaction per user action.
Plain dicts in and out; no Qt here."""
