from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "phoihop.intake"
    label = "intake"
    verbose_name = "Tiếp nhận ý kiến, kiến nghị"

    def ready(self) -> None:
        from phoihop.cases import deadlines
        from phoihop.intake import permissions, selectors

        permissions.register()
        # Voters' petitions are due before the next council session, which intake knows.
        if selectors.next_council_session not in deadlines.next_council_session:
            deadlines.next_council_session.append(selectors.next_council_session)
