/* The template context of a public page. Each top-level key is a lazy thunk
 * over the request state, so a template that never mentions, say, the home
 * sections never pays for their queries. The schema table below lists every
 * key built here; keep the two in step (tests/unit/site asserts it). */
#include "../content/types.h"
#include "../content/tz.h"
#include "../http/url.h"
#include "context.h"
#include "../content/languages.h"
#include "home.h"
#include "links.h"
#include "tags.h"
#include "search_page.h"
#include "products.h"
#include "forms.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../content/fields.h"
#include "../content/media.h"
#include "../render/qr.h"
#include "seo.h"
#include "downloads.h"
#include "portal_ctx.h"

#define R_ALL MH_PK_ALL
#define R_COL (MH_PK_LIST | MH_PK_SINGLE | MH_PK_ENTRY)

const mh_schema_key_t mh_context_schema[] = {
    /* feeds: the language's site feed, then the column's on its pages */
    {"feeds[].title", R_ALL},
    {"feeds[].rss", R_ALL},
    {"feeds[].atom", R_ALL},
    {"site.name", R_ALL},
    {"site.tagline", R_ALL},
    {"site.footer_text", R_ALL},
    {"site.footer_html", R_ALL},
    {"site.icp", R_ALL},
    {"site.police_filing", R_ALL},
    {"site.police_filing_url", R_ALL},
    {"site.address", R_ALL},
    {"site.phone", R_ALL},
    {"site.email", R_ALL},
    {"site.keywords", R_ALL},
    {"site.description", R_ALL},
    {"site.year", R_ALL},
    {"site.settings.*", R_ALL},
    {"lang.code", R_ALL},
    {"lang.name", R_ALL},
    {"lang.prefix", R_ALL},
    {"lang.home_url", R_ALL},
    {"languages[].code", R_ALL},
    {"languages[].name", R_ALL},
    {"languages[].url", R_ALL},
    {"languages[].is_current", R_ALL},
    {"languages[].is_translation", R_ALL},
    {"multilingual", R_ALL},
    {"nav[].id", R_ALL},
    {"nav[].name", R_ALL},
    {"nav[].url", R_ALL},
    {"nav[].external", R_ALL},
    {"nav[].is_current", R_ALL},
    {"nav[].is_active", R_ALL},
    {"nav[].has_children", R_ALL},
    {"nav[].level", R_ALL},
    {"nav[].children[].id", R_ALL},
    {"nav[].children[].name", R_ALL},
    {"nav[].children[].url", R_ALL},
    {"nav[].children[].external", R_ALL},
    {"nav[].children[].is_current", R_ALL},
    {"nav[].children[].is_active", R_ALL},
    {"nav[].children[].has_children", R_ALL},
    {"nav[].children[].level", R_ALL},
    {"nav[].children[].children[].id", R_ALL},
    {"nav[].children[].children[].name", R_ALL},
    {"nav[].children[].children[].url", R_ALL},
    {"nav[].children[].children[].external", R_ALL},
    {"nav[].children[].children[].is_current", R_ALL},
    {"nav[].children[].children[].is_active", R_ALL},
    {"nav[].children[].children[].has_children", R_ALL},
    {"nav[].children[].children[].level", R_ALL},
    {"nav[].children[].children[].children", R_ALL},
    {"has_footer_nav", R_ALL},
    {"footer_nav[].name", R_ALL},
    {"footer_nav[].url", R_ALL},
    {"footer_nav[].external", R_ALL},
    {"breadcrumbs[].name", R_ALL},
    {"breadcrumbs[].url", R_ALL},
    {"breadcrumbs[].is_last", R_ALL},
    {"section.name", R_COL},
    {"section.url", R_COL},
    {"section.has_children", R_COL},
    {"section.children[].name", R_COL},
    {"section.children[].url", R_COL},
    {"section.children[].external", R_COL},
    {"section.children[].is_current", R_COL},
    {"section.children[].is_active", R_COL},
    {"section.children[].has_children", R_COL},
    {"section.children[].level", R_COL},
    {"section.children[].children[].name", R_COL},
    {"section.children[].children[].url", R_COL},
    {"section.children[].children[].is_current", R_COL},
    {"section.children[].children[].is_active", R_COL},
    {"section.children[].children[].has_children", R_COL},
    {"section.children[].children[].level", R_COL},
    {"section.children[].children[].children", R_COL},
    {"column.id", R_COL},
    {"column.name", R_COL},
    {"column.url", R_COL},
    {"column.module", R_COL},
    {"column.summary", R_COL},
    {"column.body", R_COL},
    {"column.seo.title", R_COL},
    {"column.seo.keywords", R_COL},
    {"column.seo.description", R_COL},
    {"column.has_children", R_COL},
    {"column.children[].name", R_COL},
    {"column.children[].url", R_COL},
    {"entries[].id", MH_PK_LIST},
    {"entries[].title", MH_PK_LIST},
    {"entries[].url", MH_PK_LIST},
    {"entries[].summary", MH_PK_LIST},
    {"entries[].published", MH_PK_LIST},
    {"entries[].published_iso", MH_PK_LIST},
    {"entries[].date", MH_PK_LIST},
    {"entries[].author", MH_PK_LIST},
    {"entries[].cover", MH_PK_LIST},
    {"entries[].cover_url", MH_PK_LIST},
    {"entries[].cover_srcset", MH_PK_LIST},
    {"entries[].pinned", MH_PK_LIST},
    {"entries[].fields[].key", MH_PK_LIST},
    {"entries[].fields[].label", MH_PK_LIST},
    {"entries[].fields[].kind", MH_PK_LIST},
    {"entries[].fields[].value", MH_PK_LIST},
    {"entries[].fields[].values", MH_PK_LIST},
    {"entries[].field.*", MH_PK_LIST},
    {"entries[].expired", MH_PK_LIST},
    {"pagination.page", MH_PK_LIST},
    {"pagination.total_pages", MH_PK_LIST},
    {"pagination.total_entries", MH_PK_LIST},
    {"pagination.has_pages", MH_PK_LIST},
    {"pagination.prev_url", MH_PK_LIST},
    {"pagination.next_url", MH_PK_LIST},
    {"pagination.pages[].number", MH_PK_LIST},
    {"pagination.pages[].url", MH_PK_LIST},
    {"pagination.pages[].is_current", MH_PK_LIST},
    {"entries[].id", MH_PK_LIST | MH_PK_TAG},
    {"entries[].title", MH_PK_LIST | MH_PK_TAG},
    {"entries[].url", MH_PK_LIST | MH_PK_TAG},
    {"entries[].summary", MH_PK_LIST | MH_PK_TAG},
    {"entries[].published", MH_PK_LIST | MH_PK_TAG},
    {"entries[].published_iso", MH_PK_LIST | MH_PK_TAG},
    {"entries[].date", MH_PK_LIST | MH_PK_TAG},
    {"entries[].author", MH_PK_LIST | MH_PK_TAG},
    {"entries[].cover", MH_PK_LIST | MH_PK_TAG},
    {"entries[].cover_url", MH_PK_LIST | MH_PK_TAG},
    {"entries[].cover_srcset", MH_PK_LIST | MH_PK_TAG},
    {"entries[].pinned", MH_PK_LIST | MH_PK_TAG},
    {"entries[].hits", MH_PK_LIST | MH_PK_TAG},
    {"entries[].fields[].key", MH_PK_LIST | MH_PK_TAG},
    {"entries[].fields[].label", MH_PK_LIST | MH_PK_TAG},
    {"entries[].fields[].kind", MH_PK_LIST | MH_PK_TAG},
    {"entries[].fields[].value", MH_PK_LIST | MH_PK_TAG},
    {"entries[].fields[].values", MH_PK_LIST | MH_PK_TAG},
    {"entries[].field.*", MH_PK_LIST | MH_PK_TAG},
    {"pagination.page", MH_PK_LIST | MH_PK_TAG},
    {"pagination.total_pages", MH_PK_LIST | MH_PK_TAG},
    {"pagination.total_entries", MH_PK_LIST | MH_PK_TAG},
    {"pagination.has_pages", MH_PK_LIST | MH_PK_TAG},
    {"pagination.prev_url", MH_PK_LIST | MH_PK_TAG},
    {"pagination.next_url", MH_PK_LIST | MH_PK_TAG},
    {"pagination.pages[].number", MH_PK_LIST | MH_PK_TAG},
    {"pagination.pages[].url", MH_PK_LIST | MH_PK_TAG},
    {"pagination.pages[].is_current", MH_PK_LIST | MH_PK_TAG},
    {"entry.id", MH_PK_ENTRY},
    {"entry.title", MH_PK_ENTRY},
    {"entry.body", MH_PK_ENTRY},
    {"entry.summary", MH_PK_ENTRY},
    {"entry.author", MH_PK_ENTRY},
    {"entry.source", MH_PK_ENTRY},
    {"entry.cover", MH_PK_ENTRY},
    {"entry.cover_url", MH_PK_ENTRY},
    {"entry.cover_srcset", MH_PK_ENTRY},
    {"entry.hits", MH_PK_ENTRY},
    {"entry.published", MH_PK_ENTRY},
    {"entry.published_iso", MH_PK_ENTRY},
    {"entry.date", MH_PK_ENTRY},
    {"entry.url", MH_PK_ENTRY},
    {"entry.abs_url", MH_PK_ENTRY},
    {"entry.share.email", MH_PK_ENTRY},
    {"entry.share.weibo", MH_PK_ENTRY},
    {"entry.share.linkedin", MH_PK_ENTRY},
    {"entry.share.x", MH_PK_ENTRY},
    {"entry.share.qq", MH_PK_ENTRY},
    {"entry.share.qzone", MH_PK_ENTRY},
    {"entry.share.url", MH_PK_ENTRY},
    {"entry.share.wechat_qr", MH_PK_ENTRY},
    {"entry.prev.title", MH_PK_ENTRY},
    {"entry.prev.url", MH_PK_ENTRY},
    {"entry.next.title", MH_PK_ENTRY},
    {"entry.next.url", MH_PK_ENTRY},
    {"entry.translations[].code", MH_PK_ENTRY},
    {"entry.translations[].lang_name", MH_PK_ENTRY},
    {"entry.translations[].title", MH_PK_ENTRY},
    {"entry.translations[].url", MH_PK_ENTRY},
    {"entry.fields[].key", MH_PK_ENTRY},
    {"entry.fields[].label", MH_PK_ENTRY},
    {"entry.fields[].kind", MH_PK_ENTRY},
    {"entry.fields[].help", MH_PK_ENTRY},
    {"entry.fields[].value", MH_PK_ENTRY},
    {"entry.fields[].values", MH_PK_ENTRY},
    {"entry.fields[].has_value", MH_PK_ENTRY},
    {"entry.field.*", MH_PK_ENTRY},
    /* products and galleries (site/products.c): empty for other types */
    {"entry.images[].url", MH_PK_ENTRY},
    {"entry.images[].thumb", MH_PK_ENTRY},
    {"entry.images[].width", MH_PK_ENTRY},
    {"entry.images[].height", MH_PK_ENTRY},
    {"entry.images[].has_size", MH_PK_ENTRY},
    {"entry.images[].caption", MH_PK_ENTRY},
    {"entry.images[].alt", MH_PK_ENTRY},
    {"entry.images[].position", MH_PK_ENTRY},
    {"entry.images[].number", MH_PK_ENTRY},
    {"entry.images[].count", MH_PK_ENTRY},
    {"entry.images[].is_first", MH_PK_ENTRY},
    {"entry.image_count", MH_PK_ENTRY},
    {"entry.has_images", MH_PK_ENTRY},
    {"entry.has_tabs", MH_PK_ENTRY},
    {"entry.has_related", MH_PK_ENTRY},
    {"entry.tabs[].id", MH_PK_ENTRY},
    {"entry.tabs[].title", MH_PK_ENTRY},
    {"entry.tabs[].body", MH_PK_ENTRY},
    {"entry.tabs[].is_first", MH_PK_ENTRY},
    {"entry.related[].id", MH_PK_ENTRY},
    {"entry.related[].title", MH_PK_ENTRY},
    {"entry.related[].url", MH_PK_ENTRY},
    {"entry.related[].summary", MH_PK_ENTRY},
    {"entry.related[].cover", MH_PK_ENTRY},
    {"entry.related[].cover_url", MH_PK_ENTRY},
    {"entry.related[].cover_srcset", MH_PK_ENTRY},
    {"entry.related[].date", MH_PK_ENTRY},
    {"entry.inquire_url", MH_PK_ENTRY},
    {"listing.layout", MH_PK_LIST},
    {"listing.is_grid", MH_PK_LIST},
    {"listing.is_list", MH_PK_LIST},
    {"listing.filtered", MH_PK_LIST},
    {"listing.noindex", MH_PK_LIST},
    {"listing.clear_url", MH_PK_LIST},
    {"listing.has_filters", MH_PK_LIST},
    {"listing.filters[].key", MH_PK_LIST},
    {"listing.filters[].label", MH_PK_LIST},
    {"listing.filters[].selected", MH_PK_LIST},
    {"listing.filters[].has_selected", MH_PK_LIST},
    {"listing.filters[].clear_url", MH_PK_LIST},
    {"listing.filters[].values[].value", MH_PK_LIST},
    {"listing.filters[].values[].count", MH_PK_LIST},
    {"listing.filters[].values[].selected", MH_PK_LIST},
    {"listing.filters[].values[].empty", MH_PK_LIST},
    {"listing.filters[].values[].url", MH_PK_LIST},
    {"entry.expired", MH_PK_ENTRY},
    {"home.sections[].id", MH_PK_HOME},
    {"home.sections[].name", MH_PK_HOME},
    {"home.sections[].url", MH_PK_HOME},
    {"home.sections[].entries[].id", MH_PK_HOME},
    {"home.sections[].entries[].title", MH_PK_HOME},
    {"home.sections[].entries[].url", MH_PK_HOME},
    {"home.sections[].entries[].summary", MH_PK_HOME},
    {"home.sections[].entries[].published", MH_PK_HOME},
    {"home.sections[].entries[].published_iso", MH_PK_HOME},
    {"home.sections[].entries[].date", MH_PK_HOME},
    {"home.sections[].entries[].author", MH_PK_HOME},
    {"home.sections[].entries[].cover", MH_PK_HOME},
    {"home.sections[].entries[].cover_url", MH_PK_HOME},
    {"home.sections[].entries[].cover_srcset", MH_PK_HOME},
    {"home.sections[].entries[].pinned", MH_PK_HOME},
    {"home.sections[].entries[].hits", MH_PK_HOME},
    {"home.recommended[].id", MH_PK_HOME},
    {"home.recommended[].title", MH_PK_HOME},
    {"home.recommended[].url", MH_PK_HOME},
    {"home.recommended[].summary", MH_PK_HOME},
    {"home.recommended[].published", MH_PK_HOME},
    {"home.recommended[].published_iso", MH_PK_HOME},
    {"home.recommended[].date", MH_PK_HOME},
    {"home.recommended[].author", MH_PK_HOME},
    {"home.recommended[].cover", MH_PK_HOME},
    {"home.recommended[].cover_url", MH_PK_HOME},
    {"home.recommended[].cover_srcset", MH_PK_HOME},
    {"home.recommended[].pinned", MH_PK_HOME},
    {"home.recommended[].hits", MH_PK_HOME},
    {"home.has_recommended", MH_PK_HOME},
    {"home.blocks[].id", MH_PK_HOME},
    {"home.blocks[].name", MH_PK_HOME},
    {"home.blocks[].url", MH_PK_HOME},
    {"home.blocks[].kind", MH_PK_HOME},
    {"home.blocks[].is_list", MH_PK_HOME},
    {"home.blocks[].is_cards", MH_PK_HOME},
    {"home.blocks[].is_headline", MH_PK_HOME},
    {"home.blocks[].is_strip", MH_PK_HOME},
    {"home.blocks[].count", MH_PK_HOME},
    {"home.blocks[].has_entries", MH_PK_HOME},
    {"home.blocks[].headline.id", MH_PK_HOME},
    {"home.blocks[].headline.title", MH_PK_HOME},
    {"home.blocks[].headline.url", MH_PK_HOME},
    {"home.blocks[].headline.summary", MH_PK_HOME},
    {"home.blocks[].headline.published", MH_PK_HOME},
    {"home.blocks[].headline.published_iso", MH_PK_HOME},
    {"home.blocks[].headline.date", MH_PK_HOME},
    {"home.blocks[].headline.author", MH_PK_HOME},
    {"home.blocks[].headline.cover", MH_PK_HOME},
    {"home.blocks[].headline.cover_url", MH_PK_HOME},
    {"home.blocks[].headline.cover_srcset", MH_PK_HOME},
    {"home.blocks[].headline.pinned", MH_PK_HOME},
    {"home.blocks[].headline.hits", MH_PK_HOME},
    {"home.blocks[].entries[].id", MH_PK_HOME},
    {"home.blocks[].entries[].title", MH_PK_HOME},
    {"home.blocks[].entries[].url", MH_PK_HOME},
    {"home.blocks[].entries[].summary", MH_PK_HOME},
    {"home.blocks[].entries[].published", MH_PK_HOME},
    {"home.blocks[].entries[].published_iso", MH_PK_HOME},
    {"home.blocks[].entries[].date", MH_PK_HOME},
    {"home.blocks[].entries[].author", MH_PK_HOME},
    {"home.blocks[].entries[].cover", MH_PK_HOME},
    {"home.blocks[].entries[].cover_url", MH_PK_HOME},
    {"home.blocks[].entries[].cover_srcset", MH_PK_HOME},
    {"home.blocks[].entries[].pinned", MH_PK_HOME},
    {"home.blocks[].entries[].hits", MH_PK_HOME},
    {"home.has_blocks", MH_PK_HOME},
    {"tag.id", MH_PK_TAG},
    {"tag.name", MH_PK_TAG},
    {"tag.slug", MH_PK_TAG},
    {"tag.url", MH_PK_TAG},
    {"tag.total", MH_PK_TAG},
    {"entry.has_tags", MH_PK_ENTRY},
    {"entry.tags[].name", MH_PK_ENTRY},
    {"entry.tags[].slug", MH_PK_ENTRY},
    {"entry.tags[].url", MH_PK_ENTRY},
    {"page.title", R_ALL},
    {"page.description", R_ALL},
    {"page.keywords", R_ALL},
    {"page.canonical", R_ALL},
    {"page.url", R_ALL},
    {"page.type", R_ALL},
    {"page.is_home", R_ALL},
    {"t.*", R_ALL},
    {"assets.*", R_ALL},
    {"seo.og_type", R_ALL},
    {"seo.og_title", R_ALL},
    {"seo.og_description", R_ALL},
    {"seo.og_url", R_ALL},
    {"seo.og_image", R_ALL},
    {"seo.og_locale", R_ALL},
    {"seo.og_locale_alternates[].locale", R_ALL},
    {"seo.site_name", R_ALL},
    {"seo.twitter_card", R_ALL},
    {"seo.alternates[].hreflang", R_ALL},
    {"seo.alternates[].url", R_ALL},
    {"seo.x_default", R_ALL},
    {"seo.jsonld", R_ALL},
    /* forms (site/forms.c): a feedback or guestbook column's page, a job's */
    {"form.present", MH_PK_LIST | MH_PK_ENTRY},
    {"form.kind", MH_PK_LIST | MH_PK_ENTRY},
    {"form.action", MH_PK_LIST | MH_PK_ENTRY},
    {"form.token", MH_PK_LIST | MH_PK_ENTRY},
    {"form.honeypot", MH_PK_LIST | MH_PK_ENTRY},
    {"form.sent", MH_PK_LIST | MH_PK_ENTRY},
    {"form.closed", MH_PK_LIST | MH_PK_ENTRY},
    {"form.open", MH_PK_LIST | MH_PK_ENTRY},
    {"form.has_errors", MH_PK_LIST | MH_PK_ENTRY},
    {"form.has_message", MH_PK_LIST | MH_PK_ENTRY},
    {"form.message", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].key", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].name", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].id", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].label", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].help", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].has_help", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].kind", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].input_type", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].required", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].is_textarea", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].is_select", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].is_radio", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].is_checkbox", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].is_input", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].value", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].has_error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].options[].value", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].options[].id", MH_PK_LIST | MH_PK_ENTRY},
    {"form.fields[].options[].selected", MH_PK_LIST | MH_PK_ENTRY},
    {"form.has_challenge", MH_PK_LIST | MH_PK_ENTRY},
    {"form.challenge_question", MH_PK_LIST | MH_PK_ENTRY},
    {"form.challenge_value", MH_PK_LIST | MH_PK_ENTRY},
    {"form.challenge_has_error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.challenge_error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.has_file", MH_PK_LIST | MH_PK_ENTRY},
    {"form.file_has_error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.file_error", MH_PK_LIST | MH_PK_ENTRY},
    {"form.file_max_mb", MH_PK_LIST | MH_PK_ENTRY},
    {"guestbook.has_messages", MH_PK_LIST},
    {"guestbook.messages[].id", MH_PK_LIST},
    {"guestbook.messages[].name", MH_PK_LIST},
    {"guestbook.messages[].message", MH_PK_LIST},
    {"guestbook.messages[].date", MH_PK_LIST},
    {"guestbook.messages[].date_iso", MH_PK_LIST},
    {"guestbook.messages[].has_reply", MH_PK_LIST},
    {"guestbook.messages[].reply", MH_PK_LIST},
    {"guestbook.messages[].reply_date", MH_PK_LIST},
    /* search: the header's search box on every page, the results page */
    {"lang.search_url", R_ALL},
    {"search.action", MH_PK_SEARCH},
    {"search.query", MH_PK_SEARCH},
    {"search.is_empty", MH_PK_SEARCH},
    {"search.is_too_long", MH_PK_SEARCH},
    {"search.max_length", MH_PK_SEARCH},
    {"search.has_query", MH_PK_SEARCH},
    {"search.has_results", MH_PK_SEARCH},
    {"search.no_results", MH_PK_SEARCH},
    {"search.total", MH_PK_SEARCH},
    {"search.total_text", MH_PK_SEARCH},
    {"search.is_capped", MH_PK_SEARCH},
    {"search.results[].id", MH_PK_SEARCH},
    {"search.results[].title", MH_PK_SEARCH},
    {"search.results[].title_html", MH_PK_SEARCH},
    {"search.results[].snippet_html", MH_PK_SEARCH},
    {"search.results[].url", MH_PK_SEARCH},
    {"search.results[].summary", MH_PK_SEARCH},
    {"search.results[].published", MH_PK_SEARCH},
    {"search.results[].published_iso", MH_PK_SEARCH},
    {"search.results[].date", MH_PK_SEARCH},
    {"search.results[].author", MH_PK_SEARCH},
    {"search.results[].cover", MH_PK_SEARCH},
    {"search.results[].cover_url", MH_PK_SEARCH},
    {"search.results[].cover_srcset", MH_PK_SEARCH},
    {"search.results[].pinned", MH_PK_SEARCH},
    {"search.results[].hits", MH_PK_SEARCH},
    {"search.results[].column_name", MH_PK_SEARCH},
    {"search.results[].column_url", MH_PK_SEARCH},
    {"search.columns[].id", MH_PK_SEARCH},
    {"search.columns[].name", MH_PK_SEARCH},
    {"search.columns[].is_selected", MH_PK_SEARCH},
    {"search.column_id", MH_PK_SEARCH},
    {"search.module", MH_PK_SEARCH},
    {"search.page", MH_PK_SEARCH},
    {"search.total_pages", MH_PK_SEARCH},
    {"search.has_pages", MH_PK_SEARCH},
    {"search.prev_url", MH_PK_SEARCH},
    {"search.next_url", MH_PK_SEARCH},
    {"search.pages[].number", MH_PK_SEARCH},
    {"search.pages[].url", MH_PK_SEARCH},
    {"search.pages[].is_current", MH_PK_SEARCH},
    /* downloads (downloads.c): list items and entries of download columns */
    {"entries[].download.has_file", MH_PK_LIST},
    {"entries[].download.count", MH_PK_LIST},
    {"entries[].download.url", MH_PK_LIST},
    {"entries[].download.name", MH_PK_LIST},
    {"entries[].download.type", MH_PK_LIST},
    {"entries[].download.ext", MH_PK_LIST},
    {"entries[].download.size", MH_PK_LIST},
    {"entries[].download.size_text", MH_PK_LIST},
    {"entry.download.has_file", MH_PK_ENTRY},
    {"entry.download.count", MH_PK_ENTRY},
    {"entry.download.url", MH_PK_ENTRY},
    {"entry.download.name", MH_PK_ENTRY},
    {"entry.download.type", MH_PK_ENTRY},
    {"entry.download.ext", MH_PK_ENTRY},
    {"entry.download.size", MH_PK_ENTRY},
    {"entry.download.size_text", MH_PK_ENTRY},
    /* banners and friendly links (portal_ctx.c) */
    {"banners.items[].id", R_ALL},
    {"banners.items[].index", R_ALL},
    {"banners.items[].title", R_ALL},
    {"banners.items[].alt", R_ALL},
    {"banners.items[].image_url", R_ALL},
    {"banners.items[].image_srcset", R_ALL},
    {"banners.items[].mobile_url", R_ALL},
    {"banners.items[].mobile_srcset", R_ALL},
    {"banners.items[].has_mobile", R_ALL},
    {"banners.items[].link", R_ALL},
    {"banners.items[].has_link", R_ALL},
    {"banners.items[].is_first", R_ALL},
    {"banners.has_items", R_ALL},
    {"banners.count", R_ALL},
    {"banners.is_slider", R_ALL},
    {"friend_links.items[].title", R_ALL},
    {"friend_links.items[].url", R_ALL},
    {"friend_links.items[].logo_url", R_ALL},
    {"friend_links.items[].has_logo", R_ALL},
    {"friend_links.items[].rel", R_ALL},
    {"friend_links.items[].is_external", R_ALL},
    {"friend_links.has_items", R_ALL},
};
const size_t mh_context_schema_len = MH_ARRAY_LEN(mh_context_schema);

/* --- helpers --- */

char *mh_context_join(mh_pool_t *p, const char *a, const char *b, const char *c, const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t lens[4], n = 0;
    for (int i = 0; i < 4; i++)
        n += lens[i] = parts[i] ? strlen(parts[i]) : 0;
    char *out = mh_palloc(p, n + 1), *o = out;
    for (int i = 0; i < 4; i++) {
        if (lens[i])
            memcpy(o, parts[i], lens[i]);
        o += lens[i];
    }
    *o = '\0';
    return out;
}

static char *join4(mh_pool_t *p, const char *a, const char *b, const char *c, const char *d)
{
    return mh_context_join(p, a, b, c, d);
}

const char *mh_context_setting(const mh_site_req_t *r, const char *key, const char *def)
{
    /* A page asks for a setting a score of times: the first byte filters
     * before strcmp. */
    for (size_t i = 0; i < r->nsettings; i++) {
        const char *k = r->settings[i].key;
        if (k && k[0] == key[0] && strcmp(k, key) == 0)
            return r->settings[i].value ? r->settings[i].value : def;
    }
    return def;
}

const char *mh_context_lang_home(mh_pool_t *p, const mh_language_t *l)
{
    if (!l->prefix || !l->prefix[0])
        return "/";
    return join4(p, "/", l->prefix, "/", NULL);
}

bool mh_context_host_is(mh_str_t host, const char *domain)
{
    if (!domain || !domain[0] || !host.len)
        return false;
    if (mh_str_eq_nocase(host, domain))
        return true;
    /* a domain without a port matches the host on any port */
    if (strchr(domain, ':'))
        return false;
    const char *colon = memchr(host.base, ':', host.len);
    return colon && mh_str_eq_nocase(mh_str(host.base, (size_t)(colon - host.base)), domain);
}

const mh_language_t *mh_context_host_lang(const mh_site_req_t *r)
{
    for (size_t i = 0; i < r->nlangs; i++)
        if (mh_context_host_is(r->host, r->langs[i].domain))
            return &r->langs[i];
    return NULL;
}

/* "https://" when the configured base_url says so, else "http://". */
static const char *scheme_of_base(const mh_site_req_t *r)
{
    const char *b = mh_context_setting(r, "base_url", "");
    return strncasecmp(b, "https://", 8) == 0 ? "https://" : "http://";
}

const char *mh_context_lang_base(mh_site_req_t *r, const mh_language_t *l)
{
    if (r->host_lang == l || l == r->lang)
        return ""; /* the page's own language is served here */
    if (l->domain && l->domain[0])
        return join4(r->pool, scheme_of_base(r), l->domain, NULL, NULL);
    if (r->host_lang && (!l->prefix || !l->prefix[0])) {
        /* the unprefixed language of the other hosts: "/" here is this
         * host's language, so go to the configured origin if there is one */
        const char *b = mh_context_setting(r, "base_url", "");
        size_t n = strlen(b);
        while (n && b[n - 1] == '/')
            n--;
        return mh_pstrndup(r->pool, b, n);
    }
    return "";
}

/* The path of l's home on the host its links point to. */
static const char *lang_path(mh_site_req_t *r, const mh_language_t *l)
{
    if (r->host_lang == l || (l->domain && l->domain[0] && mh_context_lang_base(r, l)[0]))
        return "/";
    return mh_context_lang_home(r->pool, l);
}

const char *mh_context_lang_url(mh_site_req_t *r, const mh_language_t *l)
{
    if (l == r->lang && r->host_lang != l)
        return mh_context_lang_home(r->pool, l); /* served here by its prefix */
    return join4(r->pool, mh_context_lang_base(r, l), lang_path(r, l), NULL, NULL);
}

const mh_column_t *mh_context_col_by_id(const mh_site_req_t *r, int64_t id)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (r->cols[i].id == id)
            return &r->cols[i];
    return NULL;
}

const char *mh_context_col_path(mh_site_req_t *r, const mh_column_t *c)
{
    /* Memoised per column: navigation, breadcrumbs and entry URLs ask for
     * the same few paths many times. */
    if (c >= r->cols && c < r->cols + r->ncols && r->col_paths) {
        size_t i = (size_t)(c - r->cols);
        if (!r->col_paths[i])
            r->col_paths[i] = join4(r->pool, mh_context_lang_url(r, r->lang), c->path, "/", NULL);
        return r->col_paths[i];
    }
    return join4(r->pool, mh_context_lang_url(r, r->lang), c->path, "/", NULL);
}

static bool starts_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

const char *mh_context_safe_link(const char *url)
{
    if (!url || !url[0])
        return NULL;
    if (starts_nocase(url, "http://") || starts_nocase(url, "https://"))
        return url;
    /* Relative: no scheme before the first '/', '?' or '#'. Control bytes
     * and backslashes are refused so browsers cannot reinterpret it. */
    for (const char *q = url; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == '\\')
            return NULL;
    if (url[0] == '/' && url[1] == '/')
        return NULL;
    size_t span = strcspn(url, "/?#");
    if (memchr(url, ':', span))
        return NULL;
    return url;
}

/* URL a column is reached by from navigation. */
static const char *col_href(mh_site_req_t *r, const mh_column_t *c)
{
    if (mh_content_type_is(c->module, MH_TYPE_REDIRECT)) {
        const char *u = mh_context_safe_link(c->link_url);
        return u ? u : mh_context_col_path(r, c);
    }
    return mh_context_col_path(r, c);
}

/* A navigation item's url, and whether it leaves the site (links.c:
 * themes add rel="noopener noreferrer" and a new tab to such links). */
static void add_href(mh_site_req_t *r, mh_val_t *m, const mh_column_t *c)
{
    const char *u = col_href(r, c);
    mh_val_map_add(r->pool, m, "url", mh_val_str_ref(r->pool, mh_str_c(u)));
    mh_val_map_add(r->pool, m, "external",
                   mh_val_bool(r->pool, mh_content_type_is(c->module, MH_TYPE_REDIRECT) &&
                                            mh_link_is_external(r, u)));
}

static const char *entry_path(mh_site_req_t *r, const mh_entry_t *e)
{
    const mh_column_t *c = mh_context_col_by_id(r, e->column_id);
    if (!c)
        return mh_context_lang_url(r, r->lang);
    return join4(r->pool, mh_context_col_path(r, c), e->slug, ".html", NULL);
}

/* A Host header is trusted for absolute URLs only if it is a plain host[:port]. */
static bool host_ok(mh_str_t h)
{
    if (h.len == 0 || h.len > 255)
        return false;
    for (size_t i = 0; i < h.len; i++) {
        char ch = h.base[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
            return false;
    }
    return true;
}

static bool host_is_configured(const mh_site_req_t *r)
{
    for (size_t i = 0; i < r->nlangs; i++) {
        const char *d = r->langs[i].domain;
        if (d && d[0] && mh_str_eq_nocase(r->host, d))
            return true;
    }
    return false;
}

/* Absolute base ("https://example.org", no trailing slash). With trusted_only
 * it returns "" rather than use a Host header nobody configured. */
static const char *abs_base(mh_site_req_t *r, bool trusted_only)
{
    const char *b = mh_context_setting(r, "base_url", "");
    if (b[0])
        return mh_url_origin(r->pool, b, r->secure, r->host);
    if (host_ok(r->host)) {
        if (!host_is_configured(r)) {
            if (trusted_only)
                return "";
            r->used_host = true;
        }
        return mh_url_origin(r->pool, NULL, r->secure, r->host);
    }
    return trusted_only ? "" : r->secure ? "https://localhost" : "http://localhost";
}

static const char *pct_encode(mh_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = mh_pnalloc(p, n * 3 + 1, 1), *o = out;
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
            *q == '-' || *q == '_' || *q == '.' || *q == '~') {
            *o++ = (char)*q;
        } else {
            *o++ = '%';
            *o++ = hex[*q >> 4];
            *o++ = hex[*q & 15];
        }
    }
    *o = '\0';
    return out;
}

static const char *fmt_time(const mh_site_req_t *r, int64_t t, const char *fmt)
{
    const char *tz = mh_context_setting(r, "timezone", "+08:00");
    char *s = mh_format_time(r->pool, t, fmt, tz);
    return s ? s : "";
}

/* ISO 8601 with the site's offset, for <time datetime>. */
static const char *fmt_iso(const mh_site_req_t *r, int64_t t)
{
    int secs = 0;
    mh_tz_offset(mh_context_setting(r, "timezone", "+08:00"), t, &secs);
    int a = secs < 0 ? -secs : secs;
    char tz[16];
    snprintf(tz, sizeof(tz), "%c%02d:%02d", secs < 0 ? '-' : '+', (a / 3600) % 100, a / 60 % 60);
    const char *s = mh_format_time(r->pool, t, "%Y-%m-%dT%H:%M:%S", tz);
    return join4(r->pool, s ? s : "", tz, NULL, NULL);
}

static void set_str(mh_pool_t *p, mh_val_t *m, const char *k, const char *v)
{
    /* Strings from content/ already live in the request pool: no copy. */
    mh_val_map_add(p, m, k, mh_val_str_ref(p, mh_str_c(v)));
}

/* The builders below add each key once, with literal keys (or keys of
 * the snapshot, which the pool keeps alive): no duplicate scan, no copy. */
static void add_int(mh_pool_t *p, mh_val_t *m, const char *k, int64_t i)
{
    mh_val_map_add(p, m, k, mh_val_int(p, i));
}

static void add_bool(mh_pool_t *p, mh_val_t *m, const char *k, bool b)
{
    mh_val_map_add(p, m, k, mh_val_bool(p, b));
}

/* An entry's cover for templates: cover_url is the public URL of a stored
 * media file (or the cover as given otherwise), cover_srcset the srcset of
 * its WebP variants ("" otherwise). Looked up once, and only when a
 * template asks. */
struct cover {
    mh_site_req_t *r;
    const char *ref;
    bool done;
    const char *url, *srcset;
};

static void cover_resolve(struct cover *c)
{
    if (c->done)
        return;
    c->done = true;
    if (mh_content_media_srcset(c->r->content, c->r->pool, c->ref, &c->url, &c->srcset) != MH_OK) {
        c->url = c->ref;
        c->srcset = "";
    }
}

static mh_val_t *th_cover_url(mh_pool_t *p, void *data)
{
    cover_resolve(data);
    return mh_val_str_ref(p, mh_str_c(((struct cover *)data)->url));
}

static mh_val_t *th_cover_srcset(mh_pool_t *p, void *data)
{
    cover_resolve(data);
    return mh_val_str_ref(p, mh_str_c(((struct cover *)data)->srcset));
}

/* An entry's publication time for templates: an entry page prints two of
 * the three forms, a card two others, so each is formatted only when a
 * template asks. */
struct etime {
    const mh_site_req_t *r;
    int64_t t;
};

static mh_val_t *th_published(mh_pool_t *p, void *data)
{
    const struct etime *et = data;
    const char *fmt = mh_context_setting(et->r, "time_format", "%Y-%m-%d %H:%M:%S");
    return mh_val_str_ref(p, mh_str_c(fmt_time(et->r, et->t, fmt)));
}

static mh_val_t *th_published_iso(mh_pool_t *p, void *data)
{
    const struct etime *et = data;
    return mh_val_str_ref(p, mh_str_c(fmt_iso(et->r, et->t)));
}

static mh_val_t *th_date(mh_pool_t *p, void *data)
{
    const struct etime *et = data;
    /* per language: "%Y年%m月%d日" for Chinese, say */
    const char *fmt = mh_context_setting(et->r, "date_format", "%Y-%m-%d");
    return mh_val_str_ref(p, mh_str_c(fmt_time(et->r, et->t, fmt[0] ? fmt : "%Y-%m-%d")));
}

/* An entry's custom fields (content/fields.h), read only when a template
 * asks: entry.fields (every field with a value, in definition order) and
 * entry.field.<key>; list items get the show_in_list fields only. */
struct efields {
    mh_site_req_t *r;
    int64_t entry_id, column_id;
    bool list_only;
    bool done;
    mh_field_item_t *items;
    size_t n;
};

static void efields_load(struct efields *f)
{
    mh_pool_t *p = f->r->pool;
    mh_field_def_t *defs = NULL;
    mh_field_value_t *vals = NULL;
    size_t ndefs = 0, nvals = 0;
    if (f->done)
        return;
    f->done = true;
    /* the definitions come from the content snapshot; values cost a
     * query, made only when there is something to show */
    if (mh_fields_for_column(f->r->content, p, f->column_id, &defs, &ndefs) != MH_OK || !ndefs)
        return;
    if (f->list_only) {
        bool any = false;
        for (size_t i = 0; i < ndefs; i++)
            any = any || defs[i].show_in_list;
        if (!any)
            return;
    }
    if (mh_fields_values(f->r->content, p, f->entry_id, &vals, &nvals) != MH_OK)
        return;
    mh_field_item_t *all = mh_fields_items(p, defs, ndefs, vals, nvals);
    f->items = mh_pnalloc(p, ndefs ? ndefs : 1, sizeof(*f->items));
    for (size_t i = 0; i < ndefs; i++)
        if (all[i].n && (!f->list_only || all[i].def->show_in_list))
            f->items[f->n++] = all[i];
}

/* The values as one string: "a, b" for a checkbox field. */
static const char *item_text(mh_pool_t *p, const mh_field_item_t *it)
{
    const char *out = it->n ? it->values[0] : "";
    for (size_t i = 1; i < it->n; i++)
        out = mh_context_join(p, out, ", ", it->values[i], NULL);
    return out;
}

static mh_val_t *th_fields(mh_pool_t *p, void *data)
{
    struct efields *f = data;
    mh_val_t *l = mh_val_list(p);
    efields_load(f);
    for (size_t i = 0; i < f->n; i++) {
        const mh_field_item_t *it = &f->items[i];
        mh_val_t *m = mh_val_map_sized(p, 7), *vs = mh_val_list(p);
        set_str(p, m, "key", it->def->key);
        set_str(p, m, "label", it->def->label);
        set_str(p, m, "kind", mh_field_kind_name(it->def->kind));
        set_str(p, m, "help", it->def->help);
        set_str(p, m, "value", item_text(p, it));
        for (size_t j = 0; j < it->n; j++)
            mh_val_list_push(p, vs, mh_val_str_ref(p, mh_str_c(it->values[j])));
        mh_val_map_add(p, m, "values", vs);
        add_bool(p, m, "has_value", it->n > 0);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_field(mh_pool_t *p, void *data)
{
    struct efields *f = data;
    efields_load(f);
    mh_val_t *m = mh_val_map_sized(p, f->n ? f->n : 1);
    for (size_t i = 0; i < f->n; i++)
        set_str(p, m, f->items[i].def->key, item_text(p, &f->items[i]));
    return m;
}

/* A job past its valid_until date (forms.c decides, in the site's
 * timezone); false for every other entry. */
static mh_val_t *th_expired(mh_pool_t *p, void *data)
{
    struct efields *f = data;
    const mh_column_t *c = mh_context_col_by_id(f->r, f->column_id);
    bool expired = false;
    if (c && mh_content_type_is(c->module, MH_TYPE_APPLY)) {
        efields_load(f);
        for (size_t i = 0; i < f->n; i++)
            if (strcmp(f->items[i].def->key, "valid_until") == 0 && f->items[i].n)
                expired = mh_forms_date_past(f->r, f->items[i].values[0]);
    }
    return mh_val_bool(p, expired);
}

static void add_fields(mh_site_req_t *r, mh_val_t *m, const mh_entry_t *e, bool list_only)
{
    mh_pool_t *p = r->pool;
    struct efields *f = mh_pcalloc(p, sizeof(*f));
    f->r = r;
    f->entry_id = e->id;
    f->column_id = e->column_id;
    f->list_only = list_only;
    mh_val_map_add(p, m, "fields", mh_val_lazy(p, th_fields, f));
    mh_val_map_add(p, m, "field", mh_val_lazy(p, th_field, f));
    mh_val_map_add(p, m, "expired", mh_val_lazy(p, th_expired, f));
}

static mh_val_t *entry_item(mh_site_req_t *r, const mh_entry_t *e)
{
    mh_pool_t *p = r->pool;
    mh_val_t *m = mh_val_map_sized(p, 20) /* and th_entry's keys */;
    add_int(p, m, "id", e->id);
    set_str(p, m, "title", e->title);
    set_str(p, m, "url", entry_path(r, e));
    set_str(p, m, "summary", e->summary);
    struct etime *et = mh_palloc(p, sizeof(*et));
    et->r = r;
    et->t = e->publish_at;
    mh_val_map_add(p, m, "published", mh_val_lazy(p, th_published, et));
    mh_val_map_add(p, m, "published_iso", mh_val_lazy(p, th_published_iso, et));
    mh_val_map_add(p, m, "date", mh_val_lazy(p, th_date, et));
    set_str(p, m, "author", e->author);
    set_str(p, m, "cover", e->cover);
    struct cover *cv = mh_pcalloc(p, sizeof(*cv));
    cv->r = r;
    cv->ref = e->cover ? e->cover : "";
    mh_val_map_add(p, m, "cover_url", mh_val_lazy(p, th_cover_url, cv));
    mh_val_map_add(p, m, "cover_srcset", mh_val_lazy(p, th_cover_srcset, cv));
    add_bool(p, m, "pinned", e->pinned);
    mh_download_ctx_add(r, m, e); /* download columns: "download" */
    add_int(p, m, "hits", e->hits);
    return m;
}

mh_val_t *mh_context_entry_item(mh_site_req_t *r, const mh_entry_t *e)
{
    return entry_item(r, e);
}

static mh_val_t *entry_list(mh_site_req_t *r, const mh_entry_t *es, size_t n)
{
    mh_val_t *l = mh_val_list(r->pool);
    for (size_t i = 0; i < n; i++) {
        mh_val_t *m = entry_item(r, &es[i]);
        add_fields(r, m, &es[i], true);
        mh_val_list_push(r->pool, l, m);
    }
    return l;
}

/* Is column anc the column c or one of its ancestors? */
static bool col_within(const mh_site_req_t *r, const mh_column_t *c, int64_t anc)
{
    for (int guard = 0; c && guard < 64; guard++) {
        if (c->id == anc)
            return true;
        c = c->parent_id ? mh_context_col_by_id(r, c->parent_id) : NULL;
    }
    return false;
}

static bool col_shown(const mh_site_req_t *r, const mh_column_t *c)
{
    for (int guard = 0; c && guard < 64; guard++) {
        if (!c->visible)
            return false;
        c = c->parent_id ? mh_context_col_by_id(r, c->parent_id) : NULL;
    }
    return true;
}

/* --- thunks --- */

static mh_val_t *th_settings(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *all = mh_val_map_sized(p, r->nsettings);
    /* never the mail server's settings (smtp_password): a theme has no
     * business with them */
    for (size_t i = 0; i < r->nsettings; i++)
        if (r->settings[i].key && strncmp(r->settings[i].key, "smtp_", 5) != 0)
            set_str(p, all, r->settings[i].key, r->settings[i].value);
    return all;
}

/* The footer text setting as safe HTML: escaped, a blank line starts a new
 * paragraph and a single line break stays a <br> (addresses, copyright
 * lines). "" when the setting is empty. */
static mh_val_t *th_footer_html(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const char *text = mh_context_setting(r, "footer_text", "");
    mh_buf_t b;
    mh_buf_init(&b, 256 * 1024);
    bool in_p = false;
    size_t blank = 0;
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        const char *next = line[len] ? line + len + 1 : line + len;
        size_t n = len;
        if (n && line[n - 1] == '\r')
            n--;
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (lead == n) {
            blank++;
        } else {
            if (in_p && blank)
                mh_buf_append_c(&b, "</p>\n");
            if (!in_p || blank)
                mh_buf_append_c(&b, "<p>");
            else
                mh_buf_append_c(&b, "<br>\n");
            mh_buf_append_html(&b, line, n);
            in_p = true;
            blank = 0;
        }
        line = next;
    }
    if (in_p)
        mh_buf_append_c(&b, "</p>");
    mh_val_t *v = mh_val_html(p, mh_str_c(""));
    if (!mh_buf_failed(&b)) {
        mh_str_t s = mh_buf_str(&b);
        v = mh_val_html(p, mh_str(mh_pstrndup(p, s.base ? s.base : "", s.len), s.len));
    }
    mh_buf_free(&b);
    return v;
}

/* site.police_filing (公安备案号, as issued: "鲁公网安备37010202000001号")
 * and site.police_filing_url, the Ministry of Public Security's record page
 * for its number (the digits of the line), or "" when it has none. */
static void add_police_filing(mh_site_req_t *r, mh_pool_t *p, mh_val_t *m)
{
    const char *v = mh_context_setting(r, "police_filing", "");
    set_str(p, m, "police_filing", v);
    char digits[32];
    size_t n = 0;
    for (const char *c = v; *c && n < sizeof(digits) - 1; c++)
        if (*c >= '0' && *c <= '9')
            digits[n++] = *c;
    digits[n] = '\0';
    set_str(p, m, "police_filing_url",
            n ? join4(p, "https://beian.mps.gov.cn/#/query/webSearch?code=", digits, NULL, NULL)
              : "");
}

static mh_val_t *th_site(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map_sized(p, 12);
    static const struct {
        const char *key, *setting;
    } keys[] = {
        {"name", "site_name"}, {"tagline", "site_tagline"}, {"footer_text", "footer_text"},
        {"icp", "icp"},        {"address", "address"},      {"phone", "phone"},
        {"email", "email"},    {"keywords", "keywords"},    {"description", "description"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(keys); i++)
        set_str(p, m, keys[i].key, mh_context_setting(r, keys[i].setting, ""));
    add_police_filing(r, p, m);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    add_int(p, m, "year", tm.tm_year + 1900);
    mh_val_map_add(p, m, "settings", mh_val_lazy(p, th_settings, r));
    mh_val_map_add(p, m, "footer_html", mh_val_lazy(p, th_footer_html, r));
    return m;
}

static mh_val_t *th_lang(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map(p);
    set_str(p, m, "code", r->lang->code);
    set_str(p, m, "name", r->lang->name);
    set_str(p, m, "prefix", r->lang->prefix);
    set_str(p, m, "home_url", mh_context_lang_url(r, r->lang));
    set_str(p, m, "search_url", join4(p, mh_context_lang_url(r, r->lang), "search", NULL, NULL));
    return m;
}

/* URL of the page being shown in language l, or NULL if it has no
 * counterpart there. */
static const char *same_page_in(mh_site_req_t *r, const mh_language_t *l, mh_entry_t *tr,
                                size_t ntr)
{
    mh_pool_t *p = r->pool;
    const char *home = mh_context_lang_url(r, l);
    if (r->kind == MH_PK_ENTRY) {
        for (size_t i = 0; i < ntr; i++) {
            if (tr[i].lang_id != l->id)
                continue;
            mh_column_t c;
            if (mh_content_column_get(r->content, p, tr[i].column_id, &c) != MH_OK || !c.visible)
                continue;
            return join4(p, join4(p, home, c.path, "/", NULL), tr[i].slug, ".html", NULL);
        }
        return NULL;
    }
    if ((r->kind == MH_PK_LIST || r->kind == MH_PK_SINGLE) && r->col) {
        /* the column it translates (same translation group), else the
         * column of the same path */
        mh_column_t *lc = NULL, c;
        size_t nlc = 0;
        if (mh_content_columns(r->content, p, l->id, &lc, &nlc) == MH_OK)
            for (size_t i = 0; i < nlc; i++)
                if (lc[i].translation_group == r->col->translation_group && lc[i].visible &&
                    !mh_content_type_is(lc[i].module, MH_TYPE_REDIRECT))
                    return join4(p, home, lc[i].path, "/", NULL);
        if (mh_content_column_by_path(r->content, p, l->id, r->col->path, &c) == MH_OK &&
            c.visible && !mh_content_type_is(c.module, MH_TYPE_REDIRECT))
            return join4(p, home, c.path, "/", NULL);
        return NULL;
    }
    if (r->kind == MH_PK_HOME)
        return home;
    return NULL;
}

static mh_val_t *th_languages(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_entry_t *tr = NULL;
    size_t ntr = 0;
    if (r->kind == MH_PK_ENTRY && r->nlangs > 1 &&
        mh_content_translations(r->content, p, r->entry, &tr, &ntr) != MH_OK)
        ntr = 0;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->nlangs; i++) {
        const mh_language_t *lg = &r->langs[i];
        bool cur = lg->id == r->lang->id;
        if (!cur && !mh_content_language_public(lg))
            continue; /* being translated: not offered to visitors */
        const char *url = cur && r->kind != MH_PK_404 ? r->path : same_page_in(r, lg, tr, ntr);
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "code", lg->code);
        set_str(p, m, "name", lg->name);
        set_str(p, m, "url", url ? url : mh_context_lang_url(r, lg));
        add_bool(p, m, "is_current", cur);
        add_bool(p, m, "is_translation", url != NULL);
        mh_val_list_push(p, l, m);
    }
    return l;
}

#define NAV_MAX_DEPTH 32

/* Visible columns under parent shown in the places of want (header or
 * footer), with their children to any depth; level 1 is the top. */
static mh_val_t *nav_items(mh_site_req_t *r, int64_t parent, int want, int depth)
{
    mh_pool_t *p = r->pool;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (c->parent_id != parent || !c->visible || !(c->nav & want))
            continue;
        mh_val_t *m = mh_val_map(p);
        add_int(p, m, "id", c->id);
        set_str(p, m, "name", c->name);
        add_href(r, m, c);
        add_bool(p, m, "is_current", r->col && r->col->id == c->id);
        add_bool(p, m, "is_active", r->col && col_within(r, r->col, c->id));
        /* The whole tree: a theme decides how deep it shows it. The bound
         * only stops a parent cycle in a damaged database. */
        mh_val_t *kids =
            depth < NAV_MAX_DEPTH ? nav_items(r, c->id, want, depth + 1) : mh_val_list(p);
        add_int(p, m, "level", depth);
        add_bool(p, m, "has_children", kids->u.list.n > 0);
        mh_val_map_add(p, m, "children", kids);
        mh_val_list_push(p, l, m);
    }
    return l;
}

/* The navigation of a language depends on the column tree and, through
 * is_current and is_active, only on which column the page belongs to. The
 * cache keeps, per language, one snapshot's column tree (a pool holding a
 * reference to the snapshot, so its strings cannot be freed and their
 * addresses reused while we compare them) and one finished navigation per page column, built on
 * first use and then shared read-only by every thread: plain values only, never lazy ones, so
 * rendering never writes to them. */
struct navset {
    atomic_int refs;
    mh_pool_t *pool;
    const mh_column_t *cols;
    size_t ncols;
    mh_site_req_t base;  /* the request state the navigation is built from */
    mh_val_t **variants; /* [0]: no current column; [i + 1]: column i */
    /* base_url as the set was built with it: which links leave the site
     * (links.c) depends on it, so a new value builds a new set */
    const char *base_url;
    struct navset *next;
};

struct mh_nav_cache {
    pthread_mutex_t lock;
    struct navset *sets; /* one per language */
};

mh_nav_cache_t *mh_nav_cache_new(void)
{
    mh_nav_cache_t *nc = mh_calloc(1, sizeof(*nc));
    pthread_mutex_init(&nc->lock, NULL);
    return nc;
}

static void navset_release(void *data)
{
    struct navset *ns = data;
    if (atomic_fetch_sub(&ns->refs, 1) == 1) {
        mh_pool_destroy(ns->pool);
        free(ns);
    }
}

void mh_nav_cache_free(mh_nav_cache_t *nc)
{
    if (!nc)
        return;
    for (struct navset *ns = nc->sets, *next; ns; ns = next) {
        next = ns->next;
        navset_release(ns);
    }
    pthread_mutex_destroy(&nc->lock);
    free(nc);
}

/* A navigation set for r's language and snapshot, or NULL when r's columns
 * are not those of the current snapshot. Called with the lock held. */
static struct navset *navset_for(mh_nav_cache_t *nc, mh_site_req_t *r)
{
    struct navset **link = &nc->sets;
    for (; *link; link = &(*link)->next)
        if ((*link)->base.lang->id == r->lang->id &&
            ((*link)->base.host_lang != NULL) == (r->host_lang == r->lang))
            break; /* a language on its own host has paths without its prefix */
    /* Columns are copied into each pool but point into their snapshot:
     * equal bytes mean the same snapshot, which the set keeps alive. */
    size_t bytes = r->ncols * sizeof(*r->cols);
    const char *base_url = mh_context_setting(r, "base_url", "");
    if (*link && (*link)->ncols == r->ncols && memcmp((*link)->cols, r->cols, bytes) == 0 &&
        strcmp((*link)->base_url, base_url) == 0)
        return *link;
    /* The set's own references: columns, languages, then the columns again;
     * the same columns twice means the languages came from that snapshot
     * too (snapshots only move forward). */
    struct navset *ns = mh_calloc(1, sizeof(*ns));
    atomic_init(&ns->refs, 1);
    ns->pool = mh_pool_create();
    mh_column_t *c1 = NULL, *c2 = NULL;
    mh_language_t *langs = NULL;
    size_t n1 = 0, n2 = 0, nlangs = 0;
    const mh_language_t *lang = NULL;
    if (mh_content_columns(r->content, ns->pool, r->lang->id, &c1, &n1) == MH_OK &&
        mh_content_languages(r->content, ns->pool, &langs, &nlangs) == MH_OK &&
        mh_content_columns(r->content, ns->pool, r->lang->id, &c2, &n2) == MH_OK &&
        n1 == r->ncols && n2 == n1 && memcmp(c1, c2, bytes) == 0 &&
        memcmp(c1, r->cols, bytes) == 0) {
        for (size_t i = 0; i < nlangs; i++)
            if (langs[i].id == r->lang->id)
                lang = &langs[i];
    }
    if (!lang) {
        navset_release(ns);
        return NULL;
    }
    ns->cols = c1;
    ns->ncols = n1;
    ns->base.content = r->content;
    ns->base.pool = ns->pool;
    ns->base.langs = langs;
    ns->base.nlangs = nlangs;
    ns->base.lang = lang;
    ns->base.host_lang = r->host_lang == r->lang ? lang : NULL;
    ns->base.cols = c1;
    ns->base.ncols = n1;
    ns->base.col_paths = mh_pcalloc(ns->pool, (n1 + 1) * sizeof(*ns->base.col_paths));
    ns->variants = mh_pcalloc(ns->pool, (n1 + 1) * sizeof(*ns->variants));
    ns->base_url = mh_pstrdup(ns->pool, base_url);
    mh_setting_t *st = mh_pcalloc(ns->pool, sizeof(*st));
    st->key = "base_url";
    st->value = ns->base_url;
    ns->base.settings = st;
    ns->base.nsettings = 1;
    if (*link) {
        ns->next = (*link)->next;
        navset_release(*link);
    }
    *link = ns;
    return ns;
}

static mh_val_t *th_nav(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_nav_cache_t *nc = r->nav_cache;
    if (!nc || (r->col && (r->col < r->cols || r->col >= r->cols + r->ncols)))
        return nav_items(r, 0, MH_NAV_HEADER, 1);
    size_t v = r->col ? (size_t)(r->col - r->cols) + 1 : 0;
    mh_val_t *nav = NULL;
    pthread_mutex_lock(&nc->lock);
    struct navset *ns = navset_for(nc, r);
    if (ns) {
        if (!ns->variants[v]) {
            ns->base.col = v ? &ns->cols[v - 1] : NULL;
            ns->variants[v] = nav_items(&ns->base, 0, MH_NAV_HEADER, 1);
        }
        nav = ns->variants[v];
        atomic_fetch_add(&ns->refs, 1);
    }
    pthread_mutex_unlock(&nc->lock);
    if (!ns)
        return nav_items(r, 0, MH_NAV_HEADER, 1);
    mh_pool_cleanup_add(p, navset_release, ns);
    return nav;
}

static mh_val_t *th_footer_nav(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (!(c->nav & MH_NAV_FOOTER) || !col_shown(r, c))
            continue;
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "name", c->name);
        add_href(r, m, c);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_has_footer_nav(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    for (size_t i = 0; i < r->ncols; i++)
        if ((r->cols[i].nav & MH_NAV_FOOTER) && col_shown(r, &r->cols[i]))
            return mh_val_bool(p, true);
    return mh_val_bool(p, false);
}

static void crumb(mh_pool_t *p, mh_val_t *l, const char *name, const char *url)
{
    mh_val_t *m = mh_val_map(p);
    set_str(p, m, "name", name);
    set_str(p, m, "url", url);
    add_bool(p, m, "is_last", false);
    mh_val_list_push(p, l, m);
}

static mh_val_t *th_breadcrumbs(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    const char *home = "Home";
    mh_val_t *hv = mh_val_get_c(p, r->strings, "home");
    if (hv && hv->kind == MH_V_STR)
        home = hv->u.str.base;
    crumb(p, l, home, mh_context_lang_url(r, r->lang));
    if (r->col) {
        const mh_column_t *chain[64];
        size_t n = 0;
        for (const mh_column_t *c = r->col; c && n < MH_ARRAY_LEN(chain);
             c = c->parent_id ? mh_context_col_by_id(r, c->parent_id) : NULL)
            chain[n++] = c;
        while (n--)
            crumb(p, l, chain[n]->name, col_href(r, chain[n]));
    }
    if (r->kind == MH_PK_ENTRY && r->entry)
        crumb(p, l, r->entry->title, r->path);
    if (r->kind == MH_PK_TAG && r->tag)
        crumb(p, l, r->tag->name, r->path);
    mh_val_t *last = l->u.list.items[l->u.list.n - 1];
    mh_val_map_set(p, last, "is_last", mh_val_bool(p, true));
    return l;
}

/* Visible children of parent with theirs to any depth (the sidebar shows
 * the branch of the current column at every level); level counts from 2,
 * the top column being 1. */
static mh_val_t *children_at(mh_site_req_t *r, int64_t parent, int level)
{
    mh_pool_t *p = r->pool;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (c->parent_id != parent || !c->visible)
            continue;
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "name", c->name);
        add_href(r, m, c);
        add_bool(p, m, "is_current", r->col && r->col->id == c->id);
        add_bool(p, m, "is_active", r->col && col_within(r, r->col, c->id));
        mh_val_t *kids = level < NAV_MAX_DEPTH ? children_at(r, c->id, level + 1) : mh_val_list(p);
        add_int(p, m, "level", level);
        add_bool(p, m, "has_children", kids->u.list.n > 0);
        mh_val_map_add(p, m, "children", kids);
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *children_of(mh_site_req_t *r, const mh_column_t *parent)
{
    int level = 2;
    for (const mh_column_t *c = parent; c->parent_id && level < NAV_MAX_DEPTH; level++) {
        c = mh_context_col_by_id(r, c->parent_id);
        if (!c)
            break;
    }
    return children_at(r, parent->id, level);
}

static mh_val_t *th_section(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const mh_column_t *top = r->col;
    if (!top)
        return mh_val_null(p);
    for (int guard = 0; top->parent_id && guard < 64; guard++) {
        const mh_column_t *up = mh_context_col_by_id(r, top->parent_id);
        if (!up)
            break;
        top = up;
    }
    mh_val_t *m = mh_val_map(p);
    set_str(p, m, "name", top->name);
    set_str(p, m, "url", col_href(r, top));
    mh_val_t *kids = children_of(r, top);
    add_bool(p, m, "has_children", kids->u.list.n > 0);
    mh_val_map_add(p, m, "children", kids);
    return m;
}

static mh_val_t *th_column(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const mh_column_t *c = r->col;
    if (!c)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p);
    add_int(p, m, "id", c->id);
    set_str(p, m, "name", c->name);
    set_str(p, m, "url", mh_context_col_path(r, c));
    set_str(p, m, "module", mh_module_name(c->module));
    set_str(p, m, "summary", c->summary);
    mh_val_map_add(p, m, "body", mh_val_html(p, mh_str_c(c->body_html)));
    mh_val_t *seo = mh_val_map(p);
    set_str(p, seo, "title", c->seo_title);
    set_str(p, seo, "keywords", c->seo_keywords);
    set_str(p, seo, "description", c->seo_description);
    mh_val_map_add(p, m, "seo", seo);
    mh_val_t *kids = children_of(r, c);
    add_bool(p, m, "has_children", kids->u.list.n > 0);
    mh_val_map_add(p, m, "children", kids);
    return m;
}

static mh_val_t *th_entries(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    (void)p;
    return entry_list(r, r->list, r->nlist);
}

static const char *page_url(mh_site_req_t *r, int64_t n)
{
    const char *base = r->tag ? mh_tag_url(r, r->tag) : mh_context_col_path(r, r->col);
    if (r->list_query) /* a filtered list keeps its filters */
        return n <= 1 ? mh_context_join(r->pool, base, "?", r->list_query, NULL)
                      : mh_psprintf(r->pool, "%s?%s&page=%lld", base, r->list_query, (long long)n);
    if (n <= 1)
        return base;
    return mh_psprintf(r->pool, "%spage/%lld/", base, (long long)n);
}

static mh_val_t *th_pagination(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    if (!r->col && !r->tag)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p);
    add_int(p, m, "page", r->page);
    add_int(p, m, "total_pages", r->pages);
    add_int(p, m, "total_entries", r->total);
    add_bool(p, m, "has_pages", r->pages > 1);
    set_str(p, m, "prev_url", r->page > 1 ? page_url(r, r->page - 1) : "");
    set_str(p, m, "next_url", r->page < r->pages ? page_url(r, r->page + 1) : "");
    /* A window of at most nine page links around the current one. */
    int64_t lo = r->page - 4, hi = r->page + 4;
    if (lo < 1) {
        hi += 1 - lo;
        lo = 1;
    }
    if (hi > r->pages) {
        lo -= hi - r->pages;
        hi = r->pages;
    }
    if (lo < 1)
        lo = 1;
    mh_val_t *pages = mh_val_list(p);
    for (int64_t i = lo; i <= hi; i++) {
        mh_val_t *it = mh_val_map(p);
        add_int(p, it, "number", i);
        set_str(p, it, "url", page_url(r, i));
        add_bool(p, it, "is_current", i == r->page);
        mh_val_list_push(p, pages, it);
    }
    mh_val_map_add(p, m, "pages", pages);
    return m;
}

/* prev and next come from one query; the first thunk forced fills both. */
typedef struct {
    mh_site_req_t *r;
    mh_val_t *prev, *next;
    bool done;
} nb_t;

static void nb_load(nb_t *nb)
{
    if (nb->done)
        return;
    nb->done = true;
    mh_site_req_t *r = nb->r;
    mh_pool_t *p = r->pool;
    mh_entry_t *pv = NULL, *nx = NULL;
    nb->prev = nb->next = mh_val_null(p);
    if (mh_content_entry_neighbors(r->content, p, r->entry, &pv, &nx) != MH_OK)
        return;
    if (pv) {
        nb->prev = mh_val_map(p);
        set_str(p, nb->prev, "title", pv->title);
        set_str(p, nb->prev, "url", entry_path(r, pv));
    }
    if (nx) {
        nb->next = mh_val_map(p);
        set_str(p, nb->next, "title", nx->title);
        set_str(p, nb->next, "url", entry_path(r, nx));
    }
}

static mh_val_t *th_prev(mh_pool_t *p, void *data)
{
    (void)p;
    nb_load(data);
    return ((nb_t *)data)->prev;
}

static mh_val_t *th_next(mh_pool_t *p, void *data)
{
    (void)p;
    nb_load(data);
    return ((nb_t *)data)->next;
}

/* The WeChat share: a QR code of the page's canonical URL as inline SVG
 * (safe HTML: made here, its title escaped by mh_qr_svg), built only when
 * a template shows it. "" when the URL cannot be encoded. */
static mh_val_t *th_wechat_qr(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const char *url = join4(p, abs_base(r, false), r->path, NULL, NULL);
    mh_str_t s;
    if (mh_qr_svg_cached(p, url, strlen(url), url, &s) != MH_OK)
        return mh_val_html(p, mh_str_c(""));
    return mh_val_html(p, s);
}

static mh_val_t *th_share(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const char *abs = join4(p, abs_base(r, false), r->path, NULL, NULL);
    const char *u = pct_encode(p, abs);
    const char *t = pct_encode(p, r->entry->title ? r->entry->title : "");
    mh_val_t *m = mh_val_map(p);
    set_str(p, m, "url", abs);
    set_str(p, m, "qq",
            join4(p,
                  join4(p, "https://connect.qq.com/widget/shareqq/index.html?url=", u, NULL, NULL),
                  "&title=", t, NULL));
    set_str(p, m, "qzone",
            join4(p,
                  join4(p, "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=", u,
                        NULL, NULL),
                  "&title=", t, NULL));
    mh_val_map_add(p, m, "wechat_qr", mh_val_lazy(p, th_wechat_qr, r));
    set_str(p, m, "email", join4(p, "mailto:?subject=", t, "&body=", u));
    set_str(p, m, "weibo",
            join4(p, join4(p, "https://service.weibo.com/share/share.php?url=", u, NULL, NULL),
                  "&title=", t, NULL));
    set_str(p, m, "linkedin",
            join4(p, "https://www.linkedin.com/sharing/share-offsite/?url=", u, NULL, NULL));
    set_str(p, m, "x", join4(p, "https://twitter.com/intent/tweet?url=", u, "&text=", t));
    return m;
}

static mh_val_t *th_abs_url(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    return mh_val_str_ref(p, mh_str_c(join4(p, abs_base(r, false), r->path, NULL, NULL)));
}

static mh_val_t *th_translations(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    mh_entry_t *tr = NULL;
    size_t ntr = 0;
    if (mh_content_translations(r->content, p, r->entry, &tr, &ntr) != MH_OK)
        return l;
    for (size_t i = 0; i < ntr; i++) {
        const mh_language_t *lg = NULL;
        for (size_t j = 0; j < r->nlangs; j++)
            if (r->langs[j].id == tr[i].lang_id)
                lg = &r->langs[j];
        mh_column_t c;
        if (!lg || !mh_content_language_public(lg) ||
            mh_content_column_get(r->content, p, tr[i].column_id, &c) != MH_OK || !c.visible)
            continue;
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "code", lg->code);
        set_str(p, m, "lang_name", lg->name);
        set_str(p, m, "title", tr[i].title);
        set_str(p, m, "url",
                join4(p, join4(p, mh_context_lang_url(r, lg), c.path, "/", NULL), tr[i].slug,
                      ".html", NULL));
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_entry(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    const mh_entry_t *e = r->entry;
    if (!e)
        return mh_val_null(p);
    mh_val_t *m = entry_item(r, e);
    mh_val_map_add(p, m, "body", mh_val_html(p, mh_str_c(e->body_html)));
    set_str(p, m, "source", e->source);
    add_int(p, m, "hits", e->hits);
    mh_val_map_add(p, m, "abs_url", mh_val_lazy(p, th_abs_url, r));
    mh_val_map_add(p, m, "share", mh_val_lazy(p, th_share, r));
    nb_t *nb = mh_pcalloc(p, sizeof(*nb));
    nb->r = r;
    mh_val_map_add(p, m, "prev", mh_val_lazy(p, th_prev, nb));
    mh_val_map_add(p, m, "next", mh_val_lazy(p, th_next, nb));
    mh_val_map_add(p, m, "translations", mh_val_lazy(p, th_translations, r));
    mh_tags_entry_attach(r, m);
    add_fields(r, m, e, false);
    mh_products_entry_context(r, m, e);
    return m;
}

static mh_val_t *th_sections(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->ncols; i++) {
        const mh_column_t *c = &r->cols[i];
        if (c->parent_id != 0 || !c->visible || !mh_content_type_is(c->module, MH_TYPE_HOME))
            continue;
        mh_entry_query_t q = {.lang_id = r->lang->id,
                              .column_id = c->id,
                              .descendants = true,
                              .public_only = true,
                              .sort = MH_SORT_NEWEST,
                              .limit = 5};
        mh_entry_t *es = NULL;
        size_t n = 0;
        int64_t total = 0;
        if (mh_content_entries(r->content, p, &q, &es, &n, &total) != MH_OK)
            n = 0;
        mh_val_t *m = mh_val_map(p);
        add_int(p, m, "id", c->id);
        set_str(p, m, "name", c->name);
        set_str(p, m, "url", mh_context_col_path(r, c));
        mh_val_map_add(p, m, "entries", entry_list(r, es, n));
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_recommended(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_entry_query_t q = {.lang_id = r->lang->id,
                          .public_only = true,
                          .recommended_only = true,
                          .sort = MH_SORT_NEWEST,
                          .limit = 5};
    mh_entry_t *es = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (mh_content_entries(r->content, p, &q, &es, &n, &total) != MH_OK)
        n = 0;
    return entry_list(r, es, n);
}

typedef struct {
    mh_site_req_t *r;
    mh_val_t *rec;
} home_t;

static mh_val_t *th_has_recommended(mh_pool_t *p, void *data)
{
    home_t *h = data;
    return mh_val_bool(p, mh_val_truthy(p, h->rec));
}

static mh_val_t *th_home(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    if (r->kind != MH_PK_HOME)
        return mh_val_null(p);
    mh_val_t *m = mh_val_map(p);
    home_t *h = mh_pcalloc(p, sizeof(*h));
    h->r = r;
    h->rec = mh_val_lazy(p, th_recommended, r);
    mh_val_map_add(p, m, "sections", mh_val_lazy(p, th_sections, r));
    mh_val_map_add(p, m, "recommended", h->rec);
    mh_val_map_add(p, m, "has_recommended", mh_val_lazy(p, th_has_recommended, h));
    /* the composition set in the admin (site/home.c) */
    mh_val_map_add(p, m, "blocks", mh_val_lazy(p, mh_home_blocks_context, r));
    mh_val_map_add(p, m, "has_blocks", mh_val_lazy(p, mh_home_has_blocks_context, r));
    return m;
}

/* The title pattern filled in (seo.h): {page} is the page's own title,
 * {column} the entry's column or a column's parent, {site} the site name. */
static const char *page_title(mh_site_req_t *r, const char *title)
{
    const char *column = NULL;
    const mh_column_t *c = r->col;
    if (c && r->kind == MH_PK_ENTRY)
        column = c->name;
    else if (c && c->parent_id) {
        const mh_column_t *up = mh_context_col_by_id(r, c->parent_id);
        column = up ? up->name : NULL;
    }
    return mh_seo_title(r->pool, mh_context_setting(r, "title_pattern", ""), title, column,
                        mh_context_setting(r, "site_name", ""));
}

static const char *first_nonempty(const char *a, const char *b, const char *c)
{
    if (a && a[0])
        return a;
    if (b && b[0])
        return b;
    return c ? c : "";
}

static mh_val_t *th_page(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map(p);
    const char *title = NULL, *desc = NULL, *kw = NULL, *type = "home";
    const char *site_desc = mh_context_setting(r, "description", "");
    const char *site_kw = mh_context_setting(r, "keywords", "");
    switch (r->kind) {
    case MH_PK_ENTRY:
        type = "entry";
        title = first_nonempty(r->entry->seo_title, r->entry->title, "");
        desc = first_nonempty(r->entry->seo_description, r->entry->summary, site_desc);
        kw = first_nonempty(r->entry->seo_keywords, site_kw, "");
        break;
    case MH_PK_LIST:
    case MH_PK_SINGLE:
        type = r->kind == MH_PK_LIST ? "list" : "page";
        title = first_nonempty(r->col->seo_title, r->col->name, "");
        if (r->kind == MH_PK_LIST && r->page > 1)
            title = mh_psprintf(p, "%s (%lld)", title, (long long)r->page);
        desc = first_nonempty(r->col->seo_description, r->col->summary, site_desc);
        kw = first_nonempty(r->col->seo_keywords, site_kw, "");
        break;
    case MH_PK_404: {
        type = "404";
        mh_val_t *t = mh_val_get_c(p, r->strings, "page_not_found");
        title = t && t->kind == MH_V_STR ? t->u.str.base : "Page not found";
        desc = "";
        kw = "";
        break;
    }
    case MH_PK_TAG:
        type = "tag";
        title = r->tag->name;
        if (r->page > 1)
            title = mh_psprintf(p, "%s (%lld)", title, (long long)r->page);
        desc = site_desc;
        kw = first_nonempty(r->tag->name, site_kw, "");
        break;
    case MH_PK_SEARCH: {
        type = "search";
        mh_val_t *t = mh_val_get_c(p, r->strings, "search_title");
        title = t && t->kind == MH_V_STR ? t->u.str.base : "Search";
        desc = "";
        kw = "";
        break;
    }
    default:
        desc = site_desc;
        kw = site_kw;
        break;
    }
    set_str(p, m, "title", page_title(r, title));
    set_str(p, m, "description", desc);
    set_str(p, m, "keywords", kw);
    set_str(p, m, "url", r->path);
    set_str(p, m, "canonical",
            r->kind == MH_PK_404 || r->kind == MH_PK_SEARCH
                ? ""
                : join4(p, abs_base(r, false), r->path, NULL, NULL));
    set_str(p, m, "type", type);
    add_bool(p, m, "is_home", r->kind == MH_PK_HOME);
    return m;
}

/* --- SEO head: Open Graph, Twitter card, hreflang alternates, JSON-LD --- */

/* An absolute URL for a link or media URL of the site. */
static const char *abs_url(mh_site_req_t *r, const char *u)
{
    if (!u || !u[0])
        return "";
    if (starts_nocase(u, "http://") || starts_nocase(u, "https://"))
        return u;
    if (u[0] == '/' && u[1] == '/')
        return join4(r->pool, r->secure ? "https:" : "http:", u, NULL, NULL);
    return join4(r->pool, abs_base(r, false), u[0] == '/' ? "" : "/", u, NULL);
}

/* The page's own name, without the site's: what og:title shows. */
static const char *own_title(mh_site_req_t *r)
{
    switch (r->kind) {
    case MH_PK_ENTRY:
        return first_nonempty(r->entry->seo_title, r->entry->title, "");
    case MH_PK_LIST:
    case MH_PK_SINGLE:
        return first_nonempty(r->col->seo_title, r->col->name, "");
    default:
        return mh_context_setting(r, "site_name", "");
    }
}

static const char *own_description(mh_site_req_t *r)
{
    const char *site_desc = mh_context_setting(r, "description", "");
    switch (r->kind) {
    case MH_PK_ENTRY:
        return first_nonempty(r->entry->seo_description, r->entry->summary, site_desc);
    case MH_PK_LIST:
    case MH_PK_SINGLE:
        return first_nonempty(r->col->seo_description, r->col->summary, site_desc);
    case MH_PK_404:
        return "";
    default:
        return site_desc;
    }
}

/* The seo thunks' state: three of them need the alternates, found once. */
struct seo {
    mh_site_req_t *r;
    const char **urls;
};

/* The page in every language that has it: urls[i] for r->langs[i], NULL
 * where there is no counterpart (the 404 page has none at all). */
static const char **alternates(struct seo *st)
{
    mh_site_req_t *r = st->r;
    mh_pool_t *p = r->pool;
    if (st->urls)
        return st->urls;
    const char **urls = st->urls = mh_pcalloc(p, (r->nlangs + 1) * sizeof(*urls));
    mh_entry_t *tr = NULL;
    size_t ntr = 0;
    if (r->kind == MH_PK_404)
        return urls;
    if (r->kind == MH_PK_ENTRY && r->nlangs > 1 &&
        mh_content_translations(r->content, p, r->entry, &tr, &ntr) != MH_OK)
        ntr = 0;
    for (size_t i = 0; i < r->nlangs; i++)
        urls[i] = r->langs[i].id == r->lang->id ? r->path
                  : !mh_content_language_public(&r->langs[i])
                      ? NULL /* being translated */
                      : same_page_in(r, &r->langs[i], tr, ntr);
    return urls;
}

static mh_val_t *th_og_alternates(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = ((struct seo *)data)->r;
    const char **urls = alternates(data);
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->nlangs; i++) {
        if (!urls[i] || r->langs[i].id == r->lang->id)
            continue;
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "locale", mh_seo_og_locale(p, r->langs[i].code));
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_alternates(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = ((struct seo *)data)->r;
    const char **urls = alternates(data);
    mh_val_t *l = mh_val_list(p);
    for (size_t i = 0; i < r->nlangs && r->nlangs > 1; i++) {
        if (!urls[i])
            continue;
        mh_val_t *m = mh_val_map(p);
        set_str(p, m, "hreflang", r->langs[i].code);
        set_str(p, m, "url", abs_url(r, urls[i]));
        mh_val_list_push(p, l, m);
    }
    return l;
}

static mh_val_t *th_x_default(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = ((struct seo *)data)->r;
    const char **urls = alternates(data);
    for (size_t i = 0; i < r->nlangs && r->nlangs > 1; i++)
        if (r->langs[i].is_default && urls[i])
            return mh_val_str_ref(p, mh_str_c(abs_url(r, urls[i])));
    return mh_val_str_ref(p, mh_str_c(""));
}

/* The cover of an entry page as an absolute URL, or "". */
static const char *page_image(mh_site_req_t *r)
{
    if (r->kind != MH_PK_ENTRY || !r->entry->cover || !r->entry->cover[0])
        return "";
    struct cover cv = {.r = r, .ref = r->entry->cover};
    cover_resolve(&cv);
    return abs_url(r, cv.url);
}

/* JSON writing: every object starts with its "@type", so each further
 * member is written with a leading comma. */
static void j_member(mh_buf_t *b, const char *key)
{
    mh_buf_putc(b, ',');
    mh_seo_json_str(b, key);
    mh_buf_putc(b, ':');
}

static void j_str(mh_buf_t *b, const char *key, const char *val)
{
    if (!val || !val[0])
        return;
    j_member(b, key);
    mh_seo_json_str(b, val);
}

static void j_open(mh_buf_t *b, const char *type)
{
    mh_buf_append_c(b, "{\"@type\":");
    mh_seo_json_str(b, type);
}

/* A custom field's text by key ("" if the column defines none). */
static const char *field_text(struct efields *f, const char *key)
{
    efields_load(f);
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].def->key && strcmp(f->items[i].def->key, key) == 0)
            return item_text(f->r->pool, &f->items[i]);
    return "";
}

static void j_organization(mh_site_req_t *r, mh_buf_t *b, const char *key)
{
    if (key)
        j_member(b, key);
    j_open(b, "Organization");
    j_str(b, "name", mh_context_setting(r, "site_name", ""));
    j_str(b, "url", abs_url(r, mh_context_lang_url(r, r->lang)));
    mh_val_t *logo = r->assets ? mh_val_get_c(r->pool, r->assets, "emblem") : NULL;
    if (logo && logo->kind == MH_V_STR)
        j_str(b, "logo", abs_url(r, logo->u.str.base));
    mh_buf_putc(b, '}');
}

static void j_entry(mh_site_req_t *r, mh_buf_t *b, const char *canonical, const char *image)
{
    const mh_entry_t *e = r->entry;
    const mh_content_type_t *t = mh_content_type(r->col ? r->col->module : NULL);
    const char *type = t && t->schema_type ? t->schema_type : "Article";
    const char *desc = own_description(r);
    struct efields f = {.r = r, .entry_id = e->id, .column_id = e->column_id};
    j_open(b, type);
    if (strcmp(type, "Product") == 0) {
        j_str(b, "name", e->title);
        j_str(b, "description", desc);
        j_str(b, "image", image);
        j_str(b, "sku", field_text(&f, "sku"));
        j_str(b, "url", canonical);
        const char *price = field_text(&f, "price");
        if (price[0]) {
            j_member(b, "offers");
            j_open(b, "Offer");
            j_str(b, "price", price);
            j_str(b, "priceCurrency", field_text(&f, "currency"));
            j_str(b, "url", canonical);
            mh_buf_putc(b, '}');
        }
    } else if (strcmp(type, "JobPosting") == 0) {
        j_str(b, "title", e->title);
        j_str(b, "description", first_nonempty(desc, e->title, ""));
        j_str(b, "datePosted", fmt_iso(r, e->publish_at));
        const char *until = field_text(&f, "valid_until");
        j_str(b, "validThrough", until);
        j_organization(r, b, "hiringOrganization");
        const char *addr = mh_context_setting(r, "address", "");
        if (addr[0]) {
            j_member(b, "jobLocation");
            j_open(b, "Place");
            j_str(b, "address", addr);
            mh_buf_putc(b, '}');
        }
        j_str(b, "url", canonical);
    } else {
        j_str(b, "headline", e->title);
        j_str(b, "description", desc);
        j_str(b, "image", image);
        j_str(b, "datePublished", fmt_iso(r, e->publish_at));
        j_str(b, "dateModified", fmt_iso(r, e->updated_at ? e->updated_at : e->publish_at));
        if (e->author && e->author[0]) {
            j_member(b, "author");
            j_open(b, "Person");
            j_str(b, "name", e->author);
            mh_buf_putc(b, '}');
        }
        j_organization(r, b, "publisher");
        j_str(b, "mainEntityOfPage", canonical);
        j_str(b, "inLanguage", r->lang->code);
    }
    mh_buf_putc(b, '}');
}

static void j_crumb(mh_buf_t *b, int pos, const char *name, const char *url)
{
    if (pos > 1)
        mh_buf_putc(b, ',');
    j_open(b, "ListItem");
    j_member(b, "position");
    mh_buf_printf(b, "%d", pos);
    j_str(b, "name", name);
    j_str(b, "item", url);
    mh_buf_putc(b, '}');
}

static void j_breadcrumbs(mh_site_req_t *r, mh_buf_t *b)
{
    const char *home = "Home";
    mh_val_t *hv = r->strings ? mh_val_get_c(r->pool, r->strings, "home") : NULL;
    if (hv && hv->kind == MH_V_STR)
        home = hv->u.str.base;
    j_open(b, "BreadcrumbList");
    j_member(b, "itemListElement");
    mh_buf_putc(b, '[');
    int pos = 1;
    j_crumb(b, pos++, home, abs_url(r, mh_context_lang_url(r, r->lang)));
    const mh_column_t *chain[64];
    size_t n = 0;
    for (const mh_column_t *c = r->col; c && n < MH_ARRAY_LEN(chain);
         c = c->parent_id ? mh_context_col_by_id(r, c->parent_id) : NULL)
        chain[n++] = c;
    while (n--)
        j_crumb(b, pos++, chain[n]->name, abs_url(r, col_href(r, chain[n])));
    if (r->kind == MH_PK_ENTRY)
        j_crumb(b, pos++, r->entry->title, abs_url(r, r->path));
    mh_buf_append_c(b, "]}");
}

/* The page's JSON-LD as one {"@context", "@graph"} document, safe inside
 * <script type="application/ld+json"> (mh_seo_json_str escapes '<'). */
static mh_val_t *th_jsonld(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *v = mh_val_html(p, mh_str_c(""));
    if (r->kind == MH_PK_404)
        return v;
    const char *canonical = abs_url(r, r->path);
    mh_buf_t b;
    mh_buf_init(&b, 256 * 1024);
    mh_buf_append_c(&b, "{\"@context\":\"https://schema.org\",\"@graph\":[");
    if (r->kind == MH_PK_HOME) {
        j_organization(r, &b, NULL);
        mh_buf_putc(&b, ',');
        j_open(&b, "WebSite");
        j_str(&b, "name", mh_context_setting(r, "site_name", ""));
        j_str(&b, "url", canonical);
        j_str(&b, "inLanguage", r->lang->code);
        j_member(&b, "potentialAction");
        j_open(&b, "SearchAction");
        j_str(&b, "target",
              join4(p, abs_url(r, mh_context_lang_url(r, r->lang)), "search?q={search_term_string}",
                    NULL, NULL));
        j_str(&b, "query-input", "required name=search_term_string");
        mh_buf_append_c(&b, "}}");
    } else {
        if (r->kind == MH_PK_ENTRY) {
            j_entry(r, &b, canonical, page_image(r));
            mh_buf_putc(&b, ',');
        }
        j_breadcrumbs(r, &b);
    }
    mh_buf_append_c(&b, "]}");
    if (!mh_buf_failed(&b)) {
        mh_str_t s = mh_buf_str(&b);
        v = mh_val_html(p, mh_str(mh_pstrndup(p, s.base, s.len), s.len));
    }
    mh_buf_free(&b);
    return v;
}

static mh_val_t *th_seo(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *m = mh_val_map_sized(p, 14);
    const char *image = page_image(r);
    struct seo *st = mh_pcalloc(p, sizeof(*st));
    st->r = r;
    set_str(p, m, "og_type", r->kind == MH_PK_ENTRY ? "article" : "website");
    set_str(p, m, "og_title", own_title(r));
    set_str(p, m, "og_description", own_description(r));
    set_str(p, m, "og_url", r->kind == MH_PK_404 ? "" : abs_url(r, r->path));
    set_str(p, m, "og_image", image);
    set_str(p, m, "og_locale", mh_seo_og_locale(p, r->lang->code));
    mh_val_map_add(p, m, "og_locale_alternates", mh_val_lazy(p, th_og_alternates, st));
    set_str(p, m, "site_name", mh_context_setting(r, "site_name", ""));
    set_str(p, m, "twitter_card", image[0] ? "summary_large_image" : "summary");
    mh_val_map_add(p, m, "alternates", mh_val_lazy(p, th_alternates, st));
    mh_val_map_add(p, m, "x_default", mh_val_lazy(p, th_x_default, st));
    mh_val_map_add(p, m, "jsonld", mh_val_lazy(p, th_jsonld, r));
    return m;
}

/* Feeds a page advertises in its head (<link rel="alternate">): the
 * site feed of the page's language, and on a list or entry page the feed
 * of its entries column (site/feeds.c serves them). */
static void add_feed(mh_pool_t *p, mh_val_t *l, const char *title, const char *dir)
{
    mh_val_t *m = mh_val_map(p);
    set_str(p, m, "title", title);
    set_str(p, m, "rss", join4(p, dir, "feed.xml", NULL, NULL));
    set_str(p, m, "atom", join4(p, dir, "atom.xml", NULL, NULL));
    mh_val_list_push(p, l, m);
}

static mh_val_t *th_feeds(mh_pool_t *p, void *data)
{
    mh_site_req_t *r = data;
    mh_val_t *l = mh_val_list(p);
    if (r->kind == MH_PK_404)
        return l;
    const char *site = mh_context_setting(r, "site_name", "");
    add_feed(p, l, site, mh_context_lang_url(r, r->lang));
    if (r->col && (r->kind == MH_PK_LIST || r->kind == MH_PK_ENTRY) &&
        mh_content_type_is(r->col->module, MH_TYPE_ENTRIES))
        add_feed(p, l, join4(p, r->col->name, " - ", site, NULL), mh_context_col_path(r, r->col));
    if (r->kind == MH_PK_TAG && r->tag)
        add_feed(p, l, join4(p, r->tag->name, " - ", site, NULL), mh_tag_url(r, r->tag));
    return l;
}

mh_val_t *mh_context_build(mh_site_req_t *r)
{
    mh_pool_t *p = r->pool;
    mh_val_t *root = mh_val_map_sized(p, 20);
    static const struct {
        const char *key;
        mh_lazy_fn fn;
    } thunks[] = {
        {"site", th_site},
        {"lang", th_lang},
        {"languages", th_languages},
        {"nav", th_nav},
        {"footer_nav", th_footer_nav},
        {"has_footer_nav", th_has_footer_nav},
        {"breadcrumbs", th_breadcrumbs},
        {"section", th_section},
        {"column", th_column},
        {"entries", th_entries},
        {"pagination", th_pagination},
        {"entry", th_entry},
        {"home", th_home},
        {"page", th_page},
        {"seo", th_seo},
        {"feeds", th_feeds},
        {"search", mh_search_page_context},
        {"listing", mh_products_listing_context},
        {"form", mh_forms_context},
        {"guestbook", mh_forms_guestbook_context},
        {"banners", mh_portal_ctx_banners},    /* portal_ctx.c */
        {"friend_links", mh_portal_ctx_links}, /* portal_ctx.c */
        {"tag", mh_tags_page_context},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(thunks); i++)
        mh_val_map_add(p, root, thunks[i].key, mh_val_lazy(p, thunks[i].fn, r));
    add_bool(p, root, "multilingual", r->nlangs > 1);
    mh_val_map_add(p, root, "t", r->strings);
    mh_val_map_add(p, root, "assets", r->assets);
    /* Every name a template uses passes through this map, many through it
     * on their way to an outer frame. */
    mh_val_map_index(p, root);
    return root;
}
