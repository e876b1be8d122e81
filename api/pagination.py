from django.utils.translation import gettext_lazy as _
from rest_framework import pagination

from .filters import parse_int


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; answers carry count, next, previous and results."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    max_page = 2**31 - 1
    invalid_page_message = _("Sidan finns inte.")

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
