/* bench-send-raw.c: the floor of the send benchmark (bench-send.py).
 *
 * Sends ready-made messages over one SMTP connection with nothing but libcurl: one easy
 * handle reused for every message, so curl keeps the connection and the AUTH of the
 * first transfer. No database, no MIME building, no bookkeeping: the least any mailer
 * pays to hand the same bytes to the same server.
 *
 * Usage: bench-send-raw URL USER PASSWORD FROM SPOOL
 * SPOOL holds, for each message, a line "RECIPIENT[,RECIPIENT...] LENGTH\n" followed by
 * exactly LENGTH bytes of the message (the outbox's raw column). Exits 1 when a message
 * is refused or the connection fails, so the benchmark never compares a failed run.
 */

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  char   *recipients;
  char   *data;
  size_t  length;
} Message;

typedef struct
{
  const Message *message;
  size_t         offset;
} Upload;

static size_t
read_message (char   *buffer,
              size_t  size,
              size_t  nitems,
              void   *user_data)
{
  Upload *upload = user_data;
  size_t left = upload->message->length - upload->offset;
  size_t n = size * nitems < left ? size * nitems : left;

  memcpy (buffer, upload->message->data + upload->offset, n);
  upload->offset += n;
  return n;
}

/* Reads the whole spool before the first connection, as relance reads its outbox. */
static Message *
read_spool (const char *path,
            size_t     *out_count)
{
  FILE *f = fopen (path, "rb");
  Message *messages = NULL;
  size_t count = 0, allocated = 0;
  char line[8192];

  if (f == NULL)
    {
      perror (path);
      exit (2);
    }
  while (fgets (line, sizeof line, f) != NULL)
    {
      char *space = strrchr (line, ' ');
      Message *m;

      if (space == NULL)
        {
          fprintf (stderr, "%s: malformed spool line: %s\n", path, line);
          exit (2);
        }
      *space = '\0';
      if (count == allocated)
        {
          allocated = allocated ? allocated * 2 : 1024;
          messages = realloc (messages, allocated * sizeof *messages);
        }
      m = &messages[count++];
      m->recipients = strdup (line);
      m->length = strtoul (space + 1, NULL, 10);
      m->data = malloc (m->length ? m->length : 1);
      if (fread (m->data, 1, m->length, f) != m->length)
        {
          fprintf (stderr, "%s: truncated message %zu\n", path, count);
          exit (2);
        }
    }
  fclose (f);
  *out_count = count;
  return messages;
}

int
main (int   argc,
      char *argv[])
{
  Message *messages;
  size_t count;
  CURL *curl;
  char from[1024];

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s URL USER PASSWORD FROM SPOOL\n", argv[0]);
      return 2;
    }
  messages = read_spool (argv[5], &count);
  snprintf (from, sizeof from, "<%s>", argv[4]);

  curl_global_init (CURL_GLOBAL_DEFAULT);
  curl = curl_easy_init ();
  curl_easy_setopt (curl, CURLOPT_URL, argv[1]);
  curl_easy_setopt (curl, CURLOPT_USERNAME, argv[2]);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, argv[3]);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_message);

  for (size_t i = 0; i < count; i++)
    {
      struct curl_slist *rcpt = NULL;
      Upload upload = { &messages[i], 0 };
      char *list = messages[i].recipients;
      CURLcode rc;

      for (char *to = strtok (list, ","); to != NULL; to = strtok (NULL, ","))
        {
          char buffer[1024];

          snprintf (buffer, sizeof buffer, "<%s>", to);
          rcpt = curl_slist_append (rcpt, buffer);
        }
      curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
      curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
      rc = curl_easy_perform (curl);
      curl_slist_free_all (rcpt);
      if (rc != CURLE_OK)
        {
          fprintf (stderr, "message %zu: %s\n", i + 1, curl_easy_strerror (rc));
          return 1;
        }
    }
  curl_easy_cleanup (curl);
  curl_global_cleanup ();
  printf ("%zu messages sent\n", count);
  return 0;
}
