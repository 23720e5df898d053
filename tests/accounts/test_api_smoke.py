import pytest

pytestmark = pytest.mark.django_db


def test_signup_then_login_with_email_returns_a_working_token(api):
    response = api().post(
        "auth/signup",
        {"handle": "Neo_1", "email": "neo@example.com", "password": "follow the rabbit"},
    )
    assert response.status_code == 201
    assert response.json()["user"]["handle"] == "Neo_1"

    login = api().post("auth/login", {"login": "NEO@example.com", "password": "follow the rabbit"})
    assert login.status_code == 200
    token = login.json()["token"]
    me = api().get("me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "neo@example.com"
