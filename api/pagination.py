import re

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .filters import _bad, parse_int


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; answers carry count, next, previous and results.

    Nothing is counted: a page reads its rows and one more, which says whether a next page
    exists. Counting every row the caller may see grew with the city (and with a reporter's
    visibility filter, per row). ``count`` stays in the answer for callers written against it:
    exact on the last page (every earlier page's rows plus this one's, so also for a list that
    fits on one page), ``null`` on the pages before it. Follow ``next`` until it is ``null``.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    max_page = 2**31 - 1
    display_page_controls = False  # DRF's HTML controls need the total; the API is JSON only
    invalid_page_message = _("Sidan finns inte.")
    # The API documentation page is Swedish first: DRF's own English descriptions stood out there.
    page_query_description = _("Sidnummer, från 1.")
    page_size_query_description = _("Antal svar per sida (högst 500).")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self.get_page_size(request)
        self.number = self.get_page_number(request, None)
        start = (self.number - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        self.more = len(rows) > self.size
        rows = rows[: self.size]
        if not rows and self.number > 1:
            raise NotFound(self.invalid_page_message)
        self.count = None if self.more else start + len(rows)
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.more:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": _(
                "Antal svar i hela listan, bara på sista sidan; null på sidorna före den. "
                "Följ next tills den är null."
            ),
        }
        return answer

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return parse_int(raw, self.page_size_query_param, 1, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        return parse_int(raw, self.page_query_param, 1, self.max_page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
            else:
                parameter["schema"]["maximum"] = self.max_page
        return parameters


class ValueCursorPagination(pagination.CursorPagination):
    """Values page by an opaque cursor (``next``/``previous``) in the order they were stored.

    A city holds millions of values: counting them for page numbers would read every row the
    caller may see, whereas a cursor reads one page. Filters narrow the list as elsewhere.
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = _("Ogiltig cursor: följ länkarna next och previous i svaret.")
    cursor_query_description = _("Cursor från länken next eller previous i svaret.")
    page_size_query_description = _("Antal svar per sida (högst 500).")
    refused_query_params = ("page",)  # known, to refuse it with a hint (paginate_queryset)

    def paginate_queryset(self, queryset, request, view=None):
        if "page" in request.query_params:
            # A client written for page numbers would otherwise get the first page for ever.
            raise _bad("page", _("Utfall bläddras med cursor: följ länken next i svaret."))
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return parse_int(raw, self.page_size_query_param, 1, self.max_page_size)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # DRF checks the offset and direction; the position (an id here) is ours to check.
        if cursor is not None and cursor.position is not None:
            if not re.fullmatch(r"[0-9]{1,19}", cursor.position):
                raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
