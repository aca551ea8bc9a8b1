/* fuzz-message.c: reading back a stored message (history, proof, viewer) on any bytes. */
#include "fuzz-common.h"
#include "relance-message.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  GMimeMessage *message;

  fuzz_set_up ();
  bytes = g_bytes_new (data, size);
  message = relance_message_parse (bytes);
  g_clear_object (&message);
  return 0;
}
