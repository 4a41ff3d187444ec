from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "phoihop.portal"
    label = "portal"
    verbose_name = "Cổng thông tin công khai"

    def ready(self) -> None:
        from phoihop.cases import hooks as cases_hooks
        from phoihop.portal.exemplary import draft_article
        from phoihop.portal.services import on_public_content_changed
        from phoihop.programme import hooks

        if draft_article not in hooks.exemplary_approved:
            hooks.exemplary_approved.append(draft_article)
        if on_public_content_changed not in cases_hooks.public_content_changed:
            cases_hooks.public_content_changed.append(on_public_content_changed)
