"""/networks: the networks I belong to and their directories of people."""

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, user_of
from cadre.api.schemas import Id, MemberOut, MemberProfileOut, NetworkDetailOut, NetworkOut
from cadre.networks import policy
from cadre.networks.models import Network, NetworkMembership
from cadre.people.models import Profile, ProfileSkill

router = Router(tags=["networks"])


@router.get("/networks", response={200: list[NetworkOut]}, summary="My networks")
@paginate(Pagination)
def networks(request: HttpRequest) -> QuerySet[Network]:
    return policy.visible_networks(user_of(request)).order_by("name", "pk")


@router.get("/networks/{slug}", response={200: NetworkDetailOut}, summary="A network")
def network(request: HttpRequest, slug: str) -> Network:
    """The network, your role in it, whether you still have to accept its code of conduct,
    and its skill taxonomy (the skills profiles rate themselves in)."""
    return policy.get_network_or_404(user_of(request), slug)


def _directory_network(request: HttpRequest, slug: str) -> Network:
    user = user_of(request)
    found = policy.get_network_or_404(user, slug)
    if not policy.can_view_directory(user, found):
        # As on the web: the directory is not there for partners.
        raise errors.not_found("No such page.")
    return found


def _people(network: Network) -> QuerySet[NetworkMembership]:
    """The network's active members with their profiles and their ratings in this network's
    skills, in a fixed number of queries."""
    ratings = ProfileSkill.objects.filter(skill__network=network).select_related("skill")
    return (
        NetworkMembership.objects.filter(network=network, user__is_active=True)
        .select_related("user__profile")
        .prefetch_related(Prefetch("user__profile__skills", ratings, to_attr="network_skills"))
        .order_by("user__name", "user_id")
    )


@router.get("/networks/{slug}/members", response={200: list[MemberOut]}, summary="Directory")
@paginate(Pagination)
def members(
    request: HttpRequest,
    slug: str,
    q: str = Query("", max_length=100),
    skill: str = "",
    min_level: int = Query(0, ge=0, le=4),
    function: str = "",
    organization: str = "",
) -> QuerySet[NetworkMembership]:
    """The network's people. `q` searches names, headlines, organizations, functions and
    industries; `skill` (a skill slug) keeps people who rated themselves in it, at
    `min_level` or above; `function` and `organization` match exactly, ignoring case."""
    found = _directory_network(request, slug)
    people = _people(found)
    if q.strip():
        people = people.filter(user__profile__in=Profile.objects.search(q))
    if skill:
        people = people.filter(
            user__profile__skills__skill__network=found,
            user__profile__skills__skill__slug=skill,
            user__profile__skills__level__gte=min_level,
        )
    if function:
        people = people.filter(user__profile__function__iexact=function)
    if organization:
        people = people.filter(user__profile__organization__iexact=organization)
    return people


@router.get(
    "/networks/{slug}/members/{user_id}",
    response={200: MemberProfileOut},
    summary="A person in the network",
)
def member(request: HttpRequest, slug: str, user_id: Id) -> NetworkMembership:
    found = _directory_network(request, slug)
    person = _people(found).filter(user_id=user_id).first()
    if person is None:
        raise errors.not_found(f"No such person in {found.name}.")
    return person
