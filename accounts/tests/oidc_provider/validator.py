from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Names, e-mail and group memberships as claims, like Microsoft Entra ID's ``groups``."""

    oidc_claim_scope = None  # every claim in the ID token and from userinfo

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
