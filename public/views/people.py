"""The excerpts from one publication, and what one person wrote or edited."""

from people.models import Person, Publication
from public import scopes
from public.page_meta import PageMeta, listed_page, person_node, stream_titles, summary
from public.views.streams import SubjectStreamView
from publishing.web_links import is_web_url


class PublicationView(SubjectStreamView):
    template_name = "articles/publication.html"
    subject_model = Publication
    subject_items = staticmethod(scopes.from_publication)

    def get_page_meta(self, context: dict) -> PageMeta:
        about = {"@type": "Organization", "name": self.subject.name}
        if is_web_url(self.subject.homepage):
            about["url"] = self.subject.homepage
        return listed_page(
            self.request, self.subject.name, stream_titles(context["page"]), about=about
        )


class PersonView(SubjectStreamView):
    """What one person wrote (excerpted articles) or edited (briefings)."""

    template_name = "articles/person.html"
    subject_model = Person
    subject_items = staticmethod(scopes.by_person)

    def get_page_meta(self, context: dict) -> PageMeta:
        person = self.subject
        meta = listed_page(
            self.request,
            person.name,
            stream_titles(context["page"]),
            schema_type="ProfilePage",
            mainEntity=person_node(person),
        )
        if person.bio:
            meta.description = meta.structured_data["description"] = summary(person.bio)
        return meta
