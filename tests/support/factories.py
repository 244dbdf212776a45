import datetime as dt

import factory
from django.utils import timezone

from articles.models import Article
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from publishing.models import Status


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Analyst Number {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    name = factory.Sequence(lambda n: f"Policy Review {n}")
    slug = factory.Sequence(lambda n: f"policy-review-{n}")
    homepage = "https://review.example.org/"


class PublishableFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: days_ago(2))
    language = "en"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ArticleFactory(PublishableFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Militias and the border economy, part {n}")
    slug = factory.Sequence(lambda n: f"militias-border-economy-{n}")
    kicker = "Analysis"
    publication = factory.SubFactory(PublicationFactory)
    original_date = factory.LazyFunction(lambda: days_ago(3).date())
    standfirst = "How cross-border trade *finances* armed groups."
    excerpt = "First paragraph of the excerpt.\n\nSecond paragraph of the excerpt."
    continue_url = "https://review.example.org/militias"

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)


class BriefingFactory(PublishableFactory):
    class Meta:
        model = Briefing
        skip_postgeneration_save = True

    series = "Spotlight on the Region"
    publisher = "Centre for Regional Studies"
    title = factory.Sequence(lambda n: f"Weekly briefing number {n}")
    slug = factory.Sequence(lambda n: f"weekly-briefing-{n}")
    period_start = factory.LazyFunction(lambda: days_ago(16).date())
    period_end = factory.LazyFunction(lambda: days_ago(2).date())
    editor = factory.SubFactory(PersonFactory)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    briefing = factory.SubFactory(BriefingFactory)
    caption = "Two delegations meet in the capital"
    credit = "Agency photo, March 2"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    briefing = factory.SubFactory(BriefingFactory)
    title = factory.Sequence(lambda n: f"Developments in region {n}")
    position = factory.Sequence(lambda n: n)


class BulletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bullet

    briefing = factory.SubFactory(BriefingFactory)
    text = "A delegation visited the capital and met officials (Agency, March 2)."
    position = factory.Sequence(lambda n: n)
