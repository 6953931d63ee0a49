"""Customer feedback: the kiosk, the customer window at a visit, the feedback page."""
