/* relance-aging-chart.c: the Dashboard's bar chart of what is owed, by days overdue.
 *
 * One horizontal bar per bucket (not due, 1–30, 31–60, 61–90, over 90 days), drawn with
 * GtkSnapshot: horizontal bars keep their labels readable in a phone-width window, where
 * five vertical bars would leave no room for the amounts. The bars take their colours from
 * the theme (accent for "not due", then warning and error), and every bar carries its
 * amount and count in text, so colour is never the only way to tell them apart. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "relance-aging-chart.h"
#include "relance-language.h"
#include "relance-money.h"

#define ROW_HEIGHT  32
#define ROW_SPACING 8
#define BAR_HEIGHT  20
#define GAP         12
/* Below this width a row puts its label and value on one line and the bar under them. */
#define NARROW_WIDTH 520
#define NARROW_ROW_HEIGHT 48

struct _RelanceAgingChart
{
  GtkWidget parent_instance;

  gint64    amounts[RELANCE_AGING_N_BUCKETS];
  guint     counts[RELANCE_AGING_N_BUCKETS];
  char      currency[4];
};

G_DEFINE_FINAL_TYPE (RelanceAgingChart, relance_aging_chart, GTK_TYPE_WIDGET)

static const char *bucket_labels[RELANCE_AGING_N_BUCKETS] = {
  /* Translators: a bar of the aging chart: invoices not yet past their due date */
  N_("Not due"),
  /* Translators: a bar of the aging chart: invoices 1 to 30 days overdue */
  N_("1–30 days"),
  N_("31–60 days"),
  N_("61–90 days"),
  /* Translators: a bar of the aging chart: invoices more than 90 days overdue */
  N_("Over 90 days"),
};

/* Theme colours (libadwaita's named colours), from calm to alarming. */
static const struct
{
  const char *name;
  float       alpha;
} bucket_colors[RELANCE_AGING_N_BUCKETS] = {
  { "accent_bg_color", 1.0f },
  { "warning_bg_color", 0.55f },
  { "warning_bg_color", 1.0f },
  { "error_bg_color", 0.7f },
  { "error_bg_color", 1.0f },
};

const char *
relance_aging_bucket_get_label (RelanceAgingBucket bucket)
{
  g_return_val_if_fail (bucket < RELANCE_AGING_N_BUCKETS, NULL);
  return _(bucket_labels[bucket]);
}

static char *
value_text (RelanceAgingChart *self,
            guint              bucket)
{
  g_autofree char *amount = relance_money_format (self->amounts[bucket],
                                                  self->currency[0] != '\0' ? self->currency
                                                                            : "EUR",
                                                  relance_language_for_user ());

  /* Translators: the text at the end of a bar of the aging chart: an amount, then how
   * many invoices it adds up */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u invoice", "%s · %u invoices",
                                       self->counts[bucket]),
                          amount, self->counts[bucket]);
}

static void
update_description (RelanceAgingChart *self)
{
  g_autoptr(GString) text = g_string_new (_("Amounts owed by days overdue:"));

  for (guint i = 0; i < RELANCE_AGING_N_BUCKETS; i++)
    {
      g_autofree char *value = value_text (self, i);

      g_string_append_printf (text, "%s %s, %s", i == 0 ? "" : ";",
                              _(bucket_labels[i]), value);
    }
  g_string_append_c (text, '.');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *out)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, out))
    gtk_style_context_get_color (context, out);
}

/* The length of bucket @i's bar out of @room pixels; any amount gets 3 at least, so it
 * shows. */
static int
bar_length (RelanceAgingChart *self,
            guint              i,
            gint64             max_amount,
            int                room)
{
  int length = max_amount > 0 ? (int) ((double) self->amounts[i] / (double) max_amount * room)
                              : 0;

  return self->amounts[i] > 0 && length < 3 ? 3 : length;
}

/* The rounded track at @track_rect, with bucket @i's bar of @length over its start. */
static void
append_bar (GtkWidget             *widget,
            GtkSnapshot           *snapshot,
            const GdkRGBA         *track,
            const graphene_rect_t *track_rect,
            guint                  i,
            int                    length)
{
  GskRoundedRect rounded;
  GdkRGBA color;

  gsk_rounded_rect_init_from_rect (&rounded, track_rect, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, track, track_rect);
  if (length > 0)
    {
      lookup_color (widget, bucket_colors[i].name, &color);
      color.alpha *= bucket_colors[i].alpha;
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (track_rect->origin.x, track_rect->origin.y,
                                                      length, BAR_HEIGHT));
    }
  gtk_snapshot_pop (snapshot);
}

static void
relance_aging_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  RelanceAgingChart *self = RELANCE_AGING_CHART (widget);
  PangoLayout *labels[RELANCE_AGING_N_BUCKETS];
  PangoLayout *values[RELANCE_AGING_N_BUCKETS];
  int width = gtk_widget_get_width (widget);
  int label_width = 0, value_width = 0;
  gint64 max_amount = 0;
  GdkRGBA fg, track;
  int bar_x, bar_room;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  track = fg;
  track.alpha = 0.08f;

  for (guint i = 0; i < RELANCE_AGING_N_BUCKETS; i++)
    {
      g_autofree char *value = value_text (self, i);
      int w;

      labels[i] = gtk_widget_create_pango_layout (widget, _(bucket_labels[i]));
      values[i] = gtk_widget_create_pango_layout (widget, value);
      pango_layout_get_pixel_size (labels[i], &w, NULL);
      label_width = MAX (label_width, w);
      pango_layout_get_pixel_size (values[i], &w, NULL);
      value_width = MAX (value_width, w);
      max_amount = MAX (max_amount, self->amounts[i]);
    }

  if (width < NARROW_WIDTH)
    {
      for (guint i = 0; i < RELANCE_AGING_N_BUCKETS; i++)
        {
          int y = (int) i * (NARROW_ROW_HEIGHT + ROW_SPACING);
          int vw, lh;
          graphene_rect_t track_rect;

          pango_layout_get_pixel_size (labels[i], NULL, &lh);
          pango_layout_get_pixel_size (values[i], &vw, NULL);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, y));
          gtk_snapshot_append_layout (snapshot, labels[i], &fg);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MAX (width - vw, 0), 0));
          gtk_snapshot_append_layout (snapshot, values[i], &fg);
          gtk_snapshot_restore (snapshot);

          track_rect = GRAPHENE_RECT_INIT (0, y + NARROW_ROW_HEIGHT - BAR_HEIGHT, width,
                                           BAR_HEIGHT);
          append_bar (widget, snapshot, &track, &track_rect, i,
                      bar_length (self, i, max_amount, width));
          g_object_unref (labels[i]);
          g_object_unref (values[i]);
        }
      return;
    }

  bar_x = label_width + GAP;
  bar_room = width - bar_x - value_width - GAP;
  if (bar_room < 60)
    bar_room = MAX (width - bar_x, 20);

  for (guint i = 0; i < RELANCE_AGING_N_BUCKETS; i++)
    {
      int y = (int) i * (ROW_HEIGHT + ROW_SPACING);
      int lh, vw, vh;
      int bar_w = bar_length (self, i, max_amount, bar_room);
      graphene_rect_t track_rect;

      pango_layout_get_pixel_size (labels[i], NULL, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, y + (ROW_HEIGHT - lh) / 2.0f));
      gtk_snapshot_append_layout (snapshot, labels[i], &fg);
      gtk_snapshot_restore (snapshot);

      track_rect = GRAPHENE_RECT_INIT (bar_x, y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f,
                                       bar_room, BAR_HEIGHT);
      append_bar (widget, snapshot, &track, &track_rect, i, bar_w);

      pango_layout_get_pixel_size (values[i], &vw, &vh);
      gtk_snapshot_save (snapshot);
      if (bar_x + bar_room + GAP + vw <= width)
        gtk_snapshot_translate (snapshot,
                                &GRAPHENE_POINT_INIT (bar_x + bar_w + GAP / 2.0f,
                                                      y + (ROW_HEIGHT - vh) / 2.0f));
      else
        gtk_snapshot_translate (snapshot,
                                &GRAPHENE_POINT_INIT (MAX (bar_x + 6, width - vw - 6),
                                                      y + (ROW_HEIGHT - vh) / 2.0f));
      gtk_snapshot_append_layout (snapshot, values[i], &fg);
      gtk_snapshot_restore (snapshot);

      g_object_unref (labels[i]);
      g_object_unref (values[i]);
    }
}

static void
relance_aging_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      int row = for_size >= 0 && for_size < NARROW_WIDTH ? NARROW_ROW_HEIGHT : ROW_HEIGHT;

      *minimum = *natural = RELANCE_AGING_N_BUCKETS * row
                            + (RELANCE_AGING_N_BUCKETS - 1) * ROW_SPACING;
    }
  *minimum_baseline = *natural_baseline = -1;
}

static GtkSizeRequestMode
relance_aging_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
relance_aging_chart_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (relance_aging_chart_parent_class)->css_changed (widget, change);
  /* Theme colours (dark mode, high contrast) are read at drawing time. */
  gtk_widget_queue_draw (widget);
}

static void
relance_aging_chart_class_init (RelanceAgingChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = relance_aging_chart_snapshot;
  widget_class->measure = relance_aging_chart_measure;
  widget_class->get_request_mode = relance_aging_chart_get_request_mode;
  widget_class->css_changed = relance_aging_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "agingchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
relance_aging_chart_init (RelanceAgingChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Aging of receivables"), -1);
  update_description (self);
}

GtkWidget *
relance_aging_chart_new (void)
{
  return g_object_new (RELANCE_TYPE_AGING_CHART, NULL);
}

void
relance_aging_chart_set_stats (RelanceAgingChart          *self,
                               const RelanceCurrencyStats *stats)
{
  g_return_if_fail (RELANCE_IS_AGING_CHART (self));

  for (guint i = 0; i < RELANCE_AGING_N_BUCKETS; i++)
    {
      self->amounts[i] = stats != NULL ? stats->bucket_amount[i] : 0;
      self->counts[i] = stats != NULL ? stats->bucket_count[i] : 0;
    }
  g_strlcpy (self->currency, stats != NULL ? stats->currency : "", sizeof self->currency);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
relance_aging_chart_get_n_buckets (RelanceAgingChart *self)
{
  g_return_val_if_fail (RELANCE_IS_AGING_CHART (self), 0);
  return RELANCE_AGING_N_BUCKETS;
}

gint64
relance_aging_chart_get_amount (RelanceAgingChart *self,
                                guint              bucket)
{
  g_return_val_if_fail (RELANCE_IS_AGING_CHART (self), 0);
  g_return_val_if_fail (bucket < RELANCE_AGING_N_BUCKETS, 0);
  return self->amounts[bucket];
}

guint
relance_aging_chart_get_count (RelanceAgingChart *self,
                               guint              bucket)
{
  g_return_val_if_fail (RELANCE_IS_AGING_CHART (self), 0);
  g_return_val_if_fail (bucket < RELANCE_AGING_N_BUCKETS, 0);
  return self->counts[bucket];
}

const char *
relance_aging_chart_get_currency (RelanceAgingChart *self)
{
  g_return_val_if_fail (RELANCE_IS_AGING_CHART (self), NULL);
  return self->currency;
}
