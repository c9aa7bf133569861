import { Query, Resolver } from '@nestjs/graphql';
import { Public } from '@app/core/graphql';

@Resolver()
export class HealthResolver {
  @Public()
  @Query(() => String, { description: 'Answers "ok" without a token: a health check for clients.' })
  health(): string {
    return 'ok';
  }
}
