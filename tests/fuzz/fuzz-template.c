/* fuzz-template.c: the template language: parse, and render what parses in every mode. A
 * header rendering must never carry a line break, whatever the template or the values. */
#include <string.h>

#include "fuzz-common.h"
#include "relance-template.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(RelanceTemplate) tpl = NULL;
  RelanceTemplatePosition position;

  fuzz_set_up ();
  text = fuzz_string (data, size);
  tpl = relance_template_parse_full (text, &position, NULL);
  if (tpl != NULL)
    {
      g_autoptr(GPtrArray) names = relance_template_list_names ();
      RelanceTemplateValues *values = relance_template_values_new ("fr");

      for (guint i = 0; i < names->len; i++)
        relance_template_values_set (values, g_ptr_array_index (names, i), "v\r\n<b>&");
      for (guint k = 0; k < 2; k++)
        {
          guint row = relance_template_values_add_invoice (values);

          relance_template_values_set_invoice (values, row, "invoice.number", "F-1\n");
        }
      for (int mode = RELANCE_TEMPLATE_MODE_TEXT; mode <= RELANCE_TEMPLATE_MODE_HEADER; mode++)
        {
          g_autofree char *out = relance_template_render (tpl, values, mode);

          g_assert_nonnull (out);
          if (mode == RELANCE_TEMPLATE_MODE_HEADER)
            g_assert_null (strpbrk (out, "\r\n"));
        }
      relance_template_values_free (values);
    }
  return 0;
}
