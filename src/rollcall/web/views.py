from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rollcall.registry.roles import CASEWORKER, role_required


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


@role_required(CASEWORKER, "analyst")
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/staff_home.html", {})
