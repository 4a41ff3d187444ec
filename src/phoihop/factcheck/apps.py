from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "phoihop.factcheck"
    label = "factcheck"
    verbose_name = "Phản bác thông tin sai sự thật"

    def ready(self) -> None:
        from phoihop.core import inbox
        from phoihop.factcheck import permissions, services
        from phoihop.factcheck.inbox import factcheck_work
        from phoihop.triaging import hooks

        permissions.register()
        if services.engine_claims not in hooks.claim_source:
            hooks.claim_source.append(services.engine_claims)
        if services.on_claim_matched not in hooks.claim_matched:
            hooks.claim_matched.append(services.on_claim_matched)
        inbox.register(factcheck_work)
