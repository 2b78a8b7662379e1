"""Mijn gegevens downloaden: everything the portal holds about a parent and their children,
as one ZIP (a readable HTML page and JSON) built by a task and offered for a week."""
