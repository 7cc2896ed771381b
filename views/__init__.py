"""Blueprints, one per area; they translate HTTP to and from the domain."""
