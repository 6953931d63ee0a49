"""The employment plan editor: sections, autosaved drafts, acceptance, printing."""
