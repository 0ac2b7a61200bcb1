"""Employees and their roles."""
