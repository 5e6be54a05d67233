"""The pages. Every route here needs a rule in tests/web/test_authz_matrix.py."""

from __future__ import annotations

from django.urls import path

from dossier.web.views import audit, auth, comments, document, search

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("search/", search.search_page, name="search"),
    path("search/results/", search.search_fragment, name="search_results"),
    path("message/<int:message_id>/", document.message_page, name="message"),
    path("message/<int:message_id>/raw", document.message_raw, name="message_raw"),
    path("message/<int:message_id>/comments/", comments.comment_add, name="comment_add"),
    path(
        "message/<int:message_id>/comments/<int:comment_id>/edit",
        comments.comment_edit,
        name="comment_edit",
    ),
    path(
        "message/<int:message_id>/comments/<int:comment_id>/hide",
        comments.comment_hide,
        name="comment_hide",
    ),
    path(
        "attachment/<int:attachment_id>/download",
        document.attachment_download,
        name="attachment_download",
    ),
    path("thread/<int:thread_id>/", document.thread_page, name="thread"),
    path("audit/", audit.audit_page, name="audit"),
]
