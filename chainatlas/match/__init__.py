"""Matchers: technology needs → innovation resources, site needs → listings."""
