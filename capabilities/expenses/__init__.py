"""Expense claims (/frais): a member's claim with its receipt, the treasurers' review, the expense
ceiling of a city list, exports with the receipts, and retention (docs/legal-rules.md, rules 23 and 42).

| module | what |
|---|---|
| ``form`` | the choices of the /frais form, its summary, and the claim stored on Confirmer |
| ``review`` | the treasurers' card: approve, refuse, ask a question, paid; the member told each time |
| ``ceiling`` | a city list's approved + paid expenses against its official ceiling (rule 23) |
| ``exports`` | /export_frais: CSV and a ZIP of the receipts named by expense number |
| ``receipts`` | the receipt files: written with a random name, read for exports, purged (rule 42) |
"""
