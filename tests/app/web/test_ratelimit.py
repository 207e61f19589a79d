"""Rate limits behind a reverse proxy: X-Forwarded-For counts only when a trusted proxy sent it."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, RequestFactory

from rollcall.env import env_networks
from rollcall.registry.models import AuditEvent
from rollcall.web.ratelimit import client_ip

PROXY = "10.0.0.5"


def networks(*items: str):
    return tuple(ipaddress.ip_network(i) for i in items)


def ip_of(peer: str, forwarded: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


def test_by_default_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = ()
    assert ip_of("198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_behind_a_trusted_proxy_the_client_is_the_hop_the_proxy_added(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    assert ip_of(PROXY, "203.0.113.7") == "203.0.113.7"


def test_a_forged_left_hand_address_is_not_believed(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    assert ip_of(PROXY, "1.2.3.4, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24", "172.16.0.0/12")
    assert ip_of(PROXY, "1.2.3.4, 203.0.113.7, 172.16.3.3") == "203.0.113.7"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    assert ip_of("198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_a_hop_that_is_not_an_address_stops_at_the_last_trusted_one(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    assert ip_of(PROXY, "203.0.113.7, not-an-address") == PROXY


def test_ports_brackets_and_ipv6_hops_are_read(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24", "::1/128")
    assert ip_of(PROXY, "203.0.113.7:51234") == "203.0.113.7"
    assert ip_of("::1", "[2001:db8::7]:443") == "2001:db8::7"
    assert ip_of(PROXY, "2001:db8::8") == "2001:db8::8"
    assert ip_of("::ffff:10.0.0.5", "203.0.113.7") == "203.0.113.7"


def test_a_trusted_proxy_without_the_header_is_itself_the_client(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    assert ip_of(PROXY) == PROXY


def test_the_setting_reads_addresses_and_networks_and_names_a_bad_entry(monkeypatch):
    monkeypatch.setenv("ROLLCALL_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12,::1")
    assert env_networks("ROLLCALL_TRUSTED_PROXIES") == networks("10.0.0.5/32", "172.16.0.0/12", "::1/128")
    monkeypatch.setenv("ROLLCALL_TRUSTED_PROXIES", "10.0.0.5,proxy.local")
    with pytest.raises(ValueError, match="'proxy.local' is not an IP address or network"):
        env_networks("ROLLCALL_TRUSTED_PROXIES")
    monkeypatch.delenv("ROLLCALL_TRUSTED_PROXIES")
    assert env_networks("ROLLCALL_TRUSTED_PROXIES") == ()


# ------------------------------------------------------------------ through the pages


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_search_limit(shelter_list, settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    settings.PUBLIC_SEARCHES_PER_MINUTE = 2
    through_proxy = Client(REMOTE_ADDR=PROXY)
    for _ in range(2):
        assert through_proxy.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert through_proxy.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not limited by the first one's searches...
    assert through_proxy.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
    # ... and the first cannot escape its limit by writing another address in front.
    forged = through_proxy.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert forged.status_code == 429


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_cannot_dodge_the_limit(shelter_list, settings):
    settings.TRUSTED_PROXIES = ()
    settings.PUBLIC_SEARCHES_PER_MINUTE = 1
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert client.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert client.get("/", {"q": "Adamian"}, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


@pytest.mark.django_db
def test_the_audit_log_keeps_the_clients_address_not_the_proxys(settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24")
    Client(REMOTE_ADDR=PROXY).post(
        "/looking-for-someone/",
        {"full_name": "Aram Petrosyan", "seeker_name": "Ani Petrosyan", "seeker_contact": "+374 91 222333"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert AuditEvent.objects.get(action="submit").ip == "203.0.113.7"
