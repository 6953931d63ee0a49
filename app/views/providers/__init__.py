"""The register of service providers and their contracts (#20)."""
