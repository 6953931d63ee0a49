"""ReportLab documents built from DTOs: pure `DTO -> bytes`, no Qt, no database."""
