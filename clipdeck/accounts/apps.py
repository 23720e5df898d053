from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clipdeck.accounts"
    label = "accounts"
    verbose_name = "Accounts"
