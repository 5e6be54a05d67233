"""Sign in, sign out, and ``/``: the login form for visitors, the search page for staff.

Throttling is django-axes (its backend refuses a locked username+address before the password is
checked; its middleware answers with ``web/locked_out.html``). Login events are audited by the
receivers of Django's auth signals in ``dossier.audit``.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from dossier.web.views.search import search_page


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("web:login")
    return search_page(request)
