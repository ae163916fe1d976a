"""The treasurer's ledger: donations and memberships, checked against the law.

The law itself is domain/law/; what people type is read by domain/donor_input.py,
domain/donation_import.py and domain/dates.py (past days). SQL stays in storage/donations.py.
One module per job:

- config.py: settings → the law's numbers, fees, ledgers, the treasurer's calendar day;
- checking.py: rows → the law's dataclasses, the check, findings stored as JSON;
- labels.py: the ledger in words (labels, donor card, payment, findings, alerts, summary);
- form.py: the /don draft, its questions, and the transaction that stores it;
- recording.py: one payment stored once, with its register number, membership, audit and alerts;
- corrections.py: /dons, a payment's card, and corrections (audited, nothing deleted);
- donors.py: finding a known donor;
- memberships.py: what a cotisation buys, /adherents, and the reminders job (remind_due);
- bilan.py and chart.py: /bilan in words and as a chart;
- exports.py: /export files;
- importing.py: the CSV import of the CLI;
- sheets.py: the optional Google Sheet (push_sheet_due job).
"""
