"""Self-onboarding, verification, schema provisioning and deprovisioning."""
