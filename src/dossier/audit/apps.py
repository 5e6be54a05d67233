from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dossier.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import signals
        from django.db.backends.signals import connection_created

        from dossier.audit import guard, receivers

        connection_created.connect(guard.register_sqlite_function, dispatch_uid="audit-guard")
        signals.user_logged_in.connect(receivers.on_login, dispatch_uid="audit-login")
        signals.user_login_failed.connect(receivers.on_login_failed, dispatch_uid="audit-fail")
        signals.user_logged_out.connect(receivers.on_logout, dispatch_uid="audit-logout")
