from django.contrib import admin

from rollcall.situation.models import Claim, Event, ShelterSite

admin.site.register(Claim)
admin.site.register(Event)
admin.site.register(ShelterSite)
