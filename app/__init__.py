"""Rovaseutu service-point desk application."""

__version__ = "0.1.0"
APP_NAME = "Rovaseutu"
APP_AUTHOR = "Rovaniemi"
