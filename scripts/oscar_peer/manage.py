#!/usr/bin/env python
"""The local django-oscar shop OmniPOS's web shop sync is proven against (scripts/webshop-peer)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
