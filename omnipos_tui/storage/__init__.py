"""Persistence: peewee models, repositories, migrations and database setup.

The only package that may import peewee. Library errors are translated into the core
``PosError`` hierarchy here, at the boundary.
"""
