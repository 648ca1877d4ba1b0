#include "s75/s75.h"

const char *s75_version(void)
{
	return S75_VERSION_STRING;
}
