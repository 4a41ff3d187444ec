from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "phoihop.portal"
    label = "portal"
    verbose_name = "Cổng thông tin công khai"

    def ready(self) -> None:
        from phoihop.portal.exemplary import draft_article
        from phoihop.programme import hooks

        if draft_article not in hooks.exemplary_approved:
            hooks.exemplary_approved.append(draft_article)
