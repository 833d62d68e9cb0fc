"""Renderers: findings, packages and plans as text for people, JSON for programs, and
workflow commands for GitHub Actions. Nothing here reads a repository."""
