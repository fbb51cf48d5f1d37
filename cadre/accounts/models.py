from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They sign in with their e-mail address; what they do in a network lives on
    their network and cohort memberships, what they tell others on their profile.

    Built on AbstractBaseUser (password, last sign-in) and PermissionsMixin (superuser, groups,
    permissions), as Django suggests for a user who signs in with an e-mail address: Cadre
    has no username, first or last name, only an e-mail address and a name."""

    is_staff = models.BooleanField(
        "staff", default=False, help_text="May sign in to the admin site."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="May sign in. Untick this rather than delete the account, which keeps "
        "what the person wrote in their cohorts.",
    )
    date_joined = models.DateTimeField("joined", default=timezone.now)
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(max_length=150, help_text="How others see you, e.g. “Ada Lovelace”.")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = User.objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split()[0]
